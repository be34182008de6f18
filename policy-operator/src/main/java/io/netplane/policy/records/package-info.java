/**
 * Pure: how compiled sets and policies become records on the ipsets and policies topics. Large sets are split into
 * shard records under a header ({@link io.netplane.policy.records.ShardPlanner}); a compile delta becomes waves of
 * records, each sent once the previous one is acknowledged ({@link io.netplane.policy.records.PublishPlanner}).
 */
package io.netplane.policy.records;

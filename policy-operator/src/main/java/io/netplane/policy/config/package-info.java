/** The one typed configuration mapping of the policy operator. */
package io.netplane.policy.config;

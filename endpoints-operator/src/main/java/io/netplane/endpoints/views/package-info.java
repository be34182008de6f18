/**
 * The edge: pure mappers ({@code <Kind>Inputs}) that cut fabric8 objects down, once, to the contract views and the
 * planners' records, and turn planned records back into fabric8 objects to write.
 */
package io.netplane.endpoints.views;

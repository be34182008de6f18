/** Pure mappers that cut fabric8 objects down to the contract views, once, at the edge. */
package io.netplane.endpoints.views;

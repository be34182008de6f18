/** Pure allocators over an address or port range, with kube-apiserver's banding and error semantics. */
package io.netplane.ipam.range;

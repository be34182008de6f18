/** Pure IP family policy defaulting and validation of Services, as kube-apiserver does it before allocating. */
package io.netplane.ipam.family;

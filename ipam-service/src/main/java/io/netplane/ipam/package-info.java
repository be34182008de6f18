/** ipam-service: the address authority (ClusterIP/NodePort allocation, LoadBalancer pools, Node pod CIDRs). */
package io.netplane.ipam;

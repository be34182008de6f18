/** The mutating admission webhook for Services: fills clusterIPs and nodePorts, rejects with field errors. */
package io.netplane.ipam.webhook;

/** The CustomResources of ipam-service (group netplane.io): allocation records and LoadBalancer address pools. */
package io.netplane.ipam.crd;

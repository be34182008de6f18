/** Running Netplane services as real processes for end-to-end tests. */
package io.netplane.testing.process;

/** What planners report to users about an object (recorded as Kubernetes Events by the shell). */
package io.netplane.api.report;

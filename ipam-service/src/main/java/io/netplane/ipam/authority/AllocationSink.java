package io.netplane.ipam.authority;

import io.netplane.ipam.records.AllocationRecord;

/** Told about every record this replica created or deleted (the Kafka publisher in production). */
public interface AllocationSink {
    void created(AllocationRecord record);

    void deleted(AllocationRecord record);

    AllocationSink NONE = new AllocationSink() {
        @Override
        public void created(AllocationRecord record) {
        }

        @Override
        public void deleted(AllocationRecord record) {
        }
    };
}

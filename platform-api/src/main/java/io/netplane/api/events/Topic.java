package io.netplane.api.events;

/**
 * One topic of the contract: its Kafka name, the CloudEvents type of its values, and the record class.
 */
public record Topic<T extends ContractEvent>(String name, String eventType, Class<T> valueType) {

    @Override
    public String toString() {
        return name;
    }
}

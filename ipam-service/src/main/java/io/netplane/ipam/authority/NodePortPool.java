package io.netplane.ipam.authority;

import io.netplane.ipam.records.AllocationNames;
import io.netplane.ipam.records.AllocationRecord;
import io.netplane.ipam.range.AllocationException;
import io.netplane.ipam.range.NodePortRange;

/** The node-port range as a {@link Pool}; values are port numbers as text. */
final class NodePortPool implements Pool {
    private final NodePortRange ports;

    NodePortPool(NodePortRange ports) {
        this.ports = ports;
    }

    @Override
    public String name() {
        return AllocationNames.NODE_PORT_POOL;
    }

    @Override
    public String kind() {
        return AllocationRecord.NODE_PORT;
    }

    @Override
    public String family() {
        return null;
    }

    @Override
    public String range() {
        return ports.range().toString();
    }

    @Override
    public long size() {
        return ports.size();
    }

    @Override
    public long used() {
        return ports.used();
    }

    @Override
    public boolean contains(String value) {
        Integer p = port(value);
        return p != null && ports.range().contains(p);
    }

    @Override
    public String recordName(String value) {
        return AllocationNames.nodePort(Integer.parseInt(value));
    }

    @Override
    public String allocate(String value) {
        if (value == null) {
            return Integer.toString(ports.allocateNext());
        }
        Integer p = port(value);
        if (p == null) {
            throw new AllocationException(AllocationException.Reason.NOT_IN_RANGE, "\"" + value + "\" is not a port number");
        }
        ports.allocate(p);
        return Integer.toString(p);
    }

    @Override
    public boolean mark(String value) {
        if (!contains(value) || ports.has(port(value))) {
            return false;
        }
        try {
            ports.allocate(port(value));
            return true;
        } catch (AllocationException e) {
            return false;
        }
    }

    @Override
    public boolean release(String value) {
        Integer p = port(value);
        return p != null && ports.release(p);
    }

    private static Integer port(String value) {
        if (value == null || value.isEmpty() || value.length() > 5 || !value.chars().allMatch(Character::isDigit)) {
            return null;
        }
        return Integer.parseInt(value);
    }
}

package io.netplane.ipam.range;

/**
 * A range of ports {@code [base, base+size)}, parsed as kube-apiserver parses {@code --service-node-port-range}:
 * {@code "30000-32767"} (inclusive) or {@code "30000+2767"} (base plus offset, inclusive), ports 1-65535.
 */
public record PortRange(int base, int size) {
    public static final PortRange DEFAULT_NODE_PORTS = parse("30000-32767");

    public PortRange {
        if (base < 1 || size < 1 || base + size - 1 > 65535) {
            throw new IllegalArgumentException("port range must be within 1-65535");
        }
    }

    public static PortRange parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty port range");
        }
        String t = text.strip();
        int dash = t.indexOf('-');
        int plus = t.indexOf('+');
        try {
            if (dash > 0 && plus < 0) {
                int low = Integer.parseInt(t.substring(0, dash));
                int high = Integer.parseInt(t.substring(dash + 1));
                if (high < low) {
                    throw new IllegalArgumentException("invalid port range \"" + text + "\": end before start");
                }
                return new PortRange(low, high - low + 1);
            }
            if (plus > 0 && dash < 0) {
                int low = Integer.parseInt(t.substring(0, plus));
                int offset = Integer.parseInt(t.substring(plus + 1));
                return new PortRange(low, offset + 1);
            }
            int single = Integer.parseInt(t);
            return new PortRange(single, 1);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid port range \"" + text + "\": not a number", e);
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("invalid port range")) {
                throw e;
            }
            throw new IllegalArgumentException("invalid port range \"" + text + "\": " + e.getMessage(), e);
        }
    }

    public boolean contains(int port) {
        return port >= base && port < base + size;
    }

    public int last() {
        return base + size - 1;
    }

    @Override
    public String toString() {
        return base + "-" + last();
    }
}

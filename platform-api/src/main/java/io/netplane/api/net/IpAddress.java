package io.netplane.api.net;

import java.math.BigInteger;

/**
 * An IPv4 or IPv6 address held as 128 bits ({@code hi}, {@code lo}); IPv4 uses the low 32 bits.
 * Parsing is strict in the way Kubernetes validation is strict: no host names, no IPv4 octets with
 * leading zeros, no zone suffixes. {@link #toString()} gives the canonical text form (RFC 5952 for IPv6).
 */
public record IpAddress(IpFamily family, long hi, long lo) implements Comparable<IpAddress> {

    public IpAddress {
        if (family == IpFamily.IPv4 && (hi != 0 || (lo >>> 32) != 0)) {
            throw new IllegalArgumentException("IPv4 address out of 32-bit range");
        }
    }

    /** Parses an address literal, or throws {@link IllegalArgumentException} saying why it is not one. */
    public static IpAddress parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("empty IP address");
        }
        return text.indexOf(':') >= 0 ? parseV6(text) : parseV4(text);
    }

    /** True when {@code text} is a valid address literal. */
    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The canonical text of an address literal (lower-case, compressed IPv6). */
    public static String canonical(String text) {
        return parse(text).toString();
    }

    public static IpAddress ofV4(long value) {
        return new IpAddress(IpFamily.IPv4, 0, value & 0xffffffffL);
    }

    public static IpAddress fromBigInteger(IpFamily family, BigInteger value) {
        if (value.signum() < 0 || value.bitLength() > family.bits()) {
            throw new IllegalArgumentException("value out of range for " + family);
        }
        return new IpAddress(family, value.shiftRight(64).longValue(), value.longValue());
    }

    public BigInteger toBigInteger() {
        BigInteger h = new BigInteger(Long.toUnsignedString(hi));
        return h.shiftLeft(64).or(new BigInteger(Long.toUnsignedString(lo)));
    }

    /** This address plus {@code offset} (may be negative); throws when the result leaves the family. */
    public IpAddress plus(long offset) {
        return fromBigInteger(family, toBigInteger().add(BigInteger.valueOf(offset)));
    }

    public byte[] toBytes() {
        int n = family.bits() / 8;
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            int bitFromRight = (n - 1 - i) * 8;
            long word = bitFromRight >= 64 ? hi : lo;
            out[i] = (byte) (word >>> (bitFromRight % 64));
        }
        return out;
    }

    public static IpAddress fromBytes(byte[] bytes) {
        if (bytes.length == 4) {
            long v = 0;
            for (byte b : bytes) {
                v = (v << 8) | (b & 0xff);
            }
            return ofV4(v);
        }
        if (bytes.length == 16) {
            long h = 0;
            long l = 0;
            for (int i = 0; i < 8; i++) {
                h = (h << 8) | (bytes[i] & 0xff);
                l = (l << 8) | (bytes[i + 8] & 0xff);
            }
            return new IpAddress(IpFamily.IPv6, h, l);
        }
        throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + bytes.length);
    }

    @Override
    public int compareTo(IpAddress o) {
        int c = family.compareTo(o.family);
        if (c != 0) {
            return c;
        }
        c = Long.compareUnsigned(hi, o.hi);
        return c != 0 ? c : Long.compareUnsigned(lo, o.lo);
    }

    @Override
    public String toString() {
        return family == IpFamily.IPv4 ? v4Text(lo) : v6Text();
    }

    private static String v4Text(long v) {
        return ((v >>> 24) & 0xff) + "." + ((v >>> 16) & 0xff) + "." + ((v >>> 8) & 0xff) + "." + (v & 0xff);
    }

    private int group(int i) {
        long word = i < 4 ? hi : lo;
        return (int) ((word >>> ((3 - (i % 4)) * 16)) & 0xffff);
    }

    private String v6Text() {
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (group(i) != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && group(j) == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        if (bestLen < 2) {
            bestStart = -1;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(group(i)));
        }
        return sb.toString();
    }

    private static IpAddress parseV4(String text) {
        return ofV4(parseV4Value(text, text));
    }

    private static long parseV4Value(String part, String whole) {
        String[] octets = part.split("\\.", -1);
        if (octets.length != 4) {
            throw invalid(whole, "an IPv4 address has four dot-separated octets");
        }
        long v = 0;
        for (String o : octets) {
            if (o.isEmpty() || o.length() > 3 || !o.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw invalid(whole, "octet \"" + o + "\" is not a decimal number");
            }
            if (o.length() > 1 && o.charAt(0) == '0') {
                throw invalid(whole, "octet \"" + o + "\" has a leading zero");
            }
            int n = Integer.parseInt(o);
            if (n > 255) {
                throw invalid(whole, "octet " + n + " is greater than 255");
            }
            v = (v << 8) | n;
        }
        return v;
    }

    private static IpAddress parseV6(String text) {
        if (text.indexOf('%') >= 0) {
            throw invalid(text, "zone indices are not allowed");
        }
        int dc = text.indexOf("::");
        if (dc >= 0 && text.indexOf("::", dc + 1) >= 0) {
            throw invalid(text, "\"::\" may appear only once");
        }
        int[] groups = new int[8];
        String head = dc >= 0 ? text.substring(0, dc) : text;
        String tail = dc >= 0 ? text.substring(dc + 2) : "";
        int[] h = parseGroups(head, text, dc < 0);
        int[] t = dc >= 0 ? parseGroups(tail, text, true) : new int[0];
        int total = h.length + t.length;
        if (dc < 0 && total != 8) {
            throw invalid(text, "an IPv6 address has eight groups");
        }
        if (dc >= 0 && total > 7) {
            throw invalid(text, "too many groups around \"::\"");
        }
        System.arraycopy(h, 0, groups, 0, h.length);
        System.arraycopy(t, 0, groups, 8 - t.length, t.length);
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 4; i++) {
            hi = (hi << 16) | groups[i];
            lo = (lo << 16) | groups[i + 4];
        }
        return new IpAddress(IpFamily.IPv6, hi, lo);
    }

    /** Parses colon-separated hex groups; the last part may be a dotted IPv4 when {@code mayEndV4}. */
    private static int[] parseGroups(String s, String whole, boolean mayEndV4) {
        if (s.isEmpty()) {
            return new int[0];
        }
        String[] parts = s.split(":", -1);
        boolean v4 = mayEndV4 && parts[parts.length - 1].indexOf('.') >= 0;
        int[] out = new int[parts.length + (v4 ? 1 : 0)];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (v4 && i == parts.length - 1) {
                long v = parseV4Value(p, whole);
                out[i] = (int) (v >>> 16);
                out[i + 1] = (int) (v & 0xffff);
                continue;
            }
            if (p.isEmpty() || p.length() > 4) {
                throw invalid(whole, "group \"" + p + "\" is not 1-4 hex digits");
            }
            for (char c : p.toCharArray()) {
                if (Character.digit(c, 16) < 0) {
                    throw invalid(whole, "group \"" + p + "\" is not hexadecimal");
                }
            }
            out[i] = Integer.parseInt(p, 16);
        }
        return out;
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException("invalid IP address \"" + text + "\": " + why);
    }
}

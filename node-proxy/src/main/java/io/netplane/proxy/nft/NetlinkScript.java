package io.netplane.proxy.nft;

import io.netplane.api.net.IpAddress;
import io.netplane.api.net.IpFamily;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Encodes the commands of a {@link TableScript#update change script} as one nftables netlink batch, the messages
 * {@code nft} itself would send, so that a change can go to the kernel without an {@code nft} process: nft 1.0
 * reads every chain of every table into its cache before it adds a rule or an element (about 45 ms at 10,000
 * Services), while the kernel needs none of it. Only what changes carry is understood: elements of the fixed
 * maps and sets, regular chains added, flushed or deleted, and the endpoint rules ({@code dnat}, with or without
 * a {@code numgen} pick) and plain {@code jump}/{@code goto} rules. Anything else (an affinity set, an external
 * chain's {@code fib} rules, a large endpoint map) makes {@link #encode} return null, and the script goes to nft.
 *
 * <p>Every message asks for an ack and carries its own sequence number, {@code firstSeq + 1 + line index}; the
 * batch begins at {@code firstSeq}.
 */
public final class NetlinkScript {
    /** An encoded batch: its bytes and, for error messages, the script line behind each sequence number. */
    public record Batch(byte[] bytes, int firstSeq, List<String> lines) {
        /** The script line that message {@code seq} encodes, or null for the batch's own begin/end. */
        public String line(int seq) {
            int i = seq - firstSeq - 1;
            return i >= 0 && i < lines.size() ? lines.get(i) : null;
        }
    }

    private enum Field { ADDR, PROTO, PORT }

    private static final Map<String, List<Field>> KEYS = Map.of(
            ChainNames.SERVICE_IPS, List.of(Field.ADDR, Field.PROTO, Field.PORT),
            ChainNames.NO_ENDPOINT_SERVICES, List.of(Field.ADDR, Field.PROTO, Field.PORT),
            ChainNames.FIREWALL_IPS, List.of(Field.ADDR, Field.PROTO, Field.PORT),
            ChainNames.SERVICE_NODEPORTS, List.of(Field.PROTO, Field.PORT),
            ChainNames.NO_ENDPOINT_NODEPORTS, List.of(Field.PROTO, Field.PORT),
            ChainNames.CLUSTER_IPS, List.of(Field.ADDR),
            ChainNames.NODEPORT_IPS, List.of(Field.ADDR),
            ChainNames.HAIRPIN_IPS, List.of(Field.ADDR, Field.ADDR));
    private static final Map<String, Integer> PROTOCOLS = Map.of("tcp", 6, "udp", 17, "sctp", 132);
    private static final Pattern DNAT = Pattern.compile(
            "meta l4proto (tcp|udp|sctp) (?:numgen random mod (\\d+) 0 )?dnat (ip|ip6) to (?:\\[([0-9a-f:.]+)\\]|([0-9.]+)):(\\d+)");
    private static final Pattern VERDICT = Pattern.compile("(jump|goto) (\\S+)|(drop|accept)");
    private static final Pattern ELEMENTS = Pattern.compile("(add|delete) element (ip6?) (\\S+) (\\S+) \\{ (.+) \\}");
    private static final Pattern CHAIN = Pattern.compile("(add|flush|delete) chain (ip6?) (\\S+) (\\S+)");
    private static final Pattern RULE = Pattern.compile("add rule (ip6?) (\\S+) (\\S+) (.+)");

    /** The most netplane-nl takes in one batch. */
    static final int MAX_BYTES = 4 << 20;
    /**
     * The most messages in one batch: the kernel acks each one, and acks beyond what netplane-nl's receive buffer
     * holds are dropped (ENOBUFS, then a wait for acks that never come). A cold start's batches of a thousand
     * Services (some 15,000 messages) go to nft.
     */
    static final int MAX_MESSAGES = 1000;

    // netlink and nf_tables constants (linux/netlink.h, linux/netfilter/nfnetlink.h, nf_tables.h)
    private static final int NLM_F_REQUEST = 0x1;
    private static final int NLM_F_ACK = 0x4;
    private static final int NLM_F_CREATE = 0x400;
    private static final int NLM_F_APPEND = 0x800;
    private static final int NLA_F_NESTED = 0x8000;
    private static final int BATCH_BEGIN = 0x10;
    private static final int BATCH_END = 0x11;
    private static final int SUBSYS_NFTABLES = 10;
    private static final int NEWCHAIN = 3;
    private static final int DELCHAIN = 5;
    private static final int NEWRULE = 6;
    private static final int DELRULE = 8;
    private static final int NEWSETELEM = 12;
    private static final int DELSETELEM = 14;
    private static final int NFT_JUMP = -3;
    private static final int NFT_GOTO = -4;
    private static final int NF_DROP = 0;
    private static final int NF_ACCEPT = 1;
    private static final int REG_VERDICT = 0;
    private static final int REG_1 = 1;
    private static final int REG_2 = 2;
    private static final int META_L4PROTO = 16;
    private static final int NAT_DNAT = 1;
    private static final int NAT_RANGE_PROTO_SPECIFIED = 2;
    private static final int NG_RANDOM = 1;

    private NetlinkScript() {
    }

    /** The batch for {@code script}, or null if a line is not one this encoder understands. */
    public static Batch encode(String script, int firstSeq) {
        Out out = new Out();
        List<String> lines = new ArrayList<>();
        out.marker(BATCH_BEGIN, firstSeq);
        int seq = firstSeq;
        // line by line, so that a full sync's script (megabytes, starting with "add table") is turned down at once
        for (int start = 0, end; start < script.length(); start = end + 1) {
            end = script.indexOf('\n', start);
            end = end < 0 ? script.length() : end;
            String line = script.substring(start, end);
            if (line.isBlank()) {
                continue;
            }
            seq++;
            if (seq - firstSeq > MAX_MESSAGES || !command(out, line, seq) || out.buf.size() > MAX_BYTES) {
                return null;
            }
            lines.add(line);
        }
        if (lines.isEmpty()) {
            return null;
        }
        out.marker(BATCH_END, seq + 1);
        return new Batch(out.toByteArray(), firstSeq, List.copyOf(lines));
    }

    private static boolean command(Out out, String line, int seq) {
        Matcher m;
        if ((m = ELEMENTS.matcher(line)).matches()) {
            return elements(out, m.group(1).equals("add"), family(m.group(2)), m.group(3), m.group(4), m.group(5), seq);
        }
        if ((m = CHAIN.matcher(line)).matches()) {
            String table = m.group(3);
            String chain = m.group(4);
            switch (m.group(1)) {
                case "add" -> out.message(NEWCHAIN, family(m.group(2)), NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE, seq,
                        a -> a.string(1, table).string(3, chain));
                case "delete" -> out.message(DELCHAIN, family(m.group(2)), NLM_F_REQUEST | NLM_F_ACK, seq,
                        a -> a.string(1, table).string(3, chain));
                default -> out.message(DELRULE, family(m.group(2)), NLM_F_REQUEST | NLM_F_ACK, seq,
                        a -> a.string(1, table).string(2, chain));
            }
            return true;
        }
        if ((m = RULE.matcher(line)).matches()) {
            IpFamily family = family(m.group(1));
            List<Expr> exprs = rule(m.group(4), family);
            if (exprs == null) {
                return false;
            }
            String table = m.group(2);
            String chain = m.group(3);
            out.message(NEWRULE, family, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_APPEND, seq, a -> {
                a.string(1, table).string(2, chain);
                a.nested(4, list -> exprs.forEach(e -> list.nested(1, x -> x.string(1, e.name()).nested(2, e.data()))));
            });
            return true;
        }
        return false;
    }

    private record Expr(String name, java.util.function.Consumer<Attrs> data) {
    }

    /** The expressions of an endpoint or verdict rule, as nft 1.0 emits them; null for any other rule. */
    private static List<Expr> rule(String rule, IpFamily family) {
        Matcher m = DNAT.matcher(rule);
        if (m.matches()) {
            String addr = m.group(4) != null ? m.group(4) : m.group(5);
            if (!m.group(3).equals(family == IpFamily.IPv6 ? "ip6" : "ip") || !IpAddress.isValid(addr)
                    || IpAddress.parse(addr).family() != family) {
                return null;
            }
            byte[] ip = IpAddress.parse(addr).toBytes();
            int port = Integer.parseInt(m.group(6));
            if (port > 65535) {
                return null;
            }
            int proto = PROTOCOLS.get(m.group(1));
            List<Expr> exprs = new ArrayList<>();
            exprs.add(new Expr("meta", a -> a.u32(1, REG_1).u32(2, META_L4PROTO)));
            exprs.add(cmp(new byte[] {(byte) proto}));
            if (m.group(2) != null) {
                int mod = Integer.parseInt(m.group(2));
                exprs.add(new Expr("numgen", a -> a.u32(1, REG_1).u32(2, mod).u32(3, NG_RANDOM)));
                exprs.add(cmp(new byte[4]));
            }
            exprs.add(new Expr("immediate", a -> a.u32(1, REG_1).nested(2, d -> d.bytes(1, ip))));
            exprs.add(new Expr("immediate", a -> a.u32(1, REG_2)
                    .nested(2, d -> d.bytes(1, new byte[] {(byte) (port >> 8), (byte) port}))));
            int nfproto = nfproto(family);
            exprs.add(new Expr("nat", a -> a.u32(1, NAT_DNAT).u32(2, nfproto).u32(3, REG_1).u32(5, REG_2)
                    .u32(7, NAT_RANGE_PROTO_SPECIFIED)));
            return exprs;
        }
        m = VERDICT.matcher(rule);
        if (m.matches() && m.group(1) != null) {
            int code = m.group(1).equals("jump") ? NFT_JUMP : NFT_GOTO;
            String target = m.group(2);
            return List.of(new Expr("immediate", a -> a.u32(1, REG_VERDICT).nested(2, d -> verdict(d, code, target))));
        }
        return null;
    }

    private static Expr cmp(byte[] value) {
        return new Expr("cmp", a -> a.u32(1, REG_1).u32(2, 0).nested(3, d -> d.bytes(1, value)));
    }

    private static boolean elements(Out out, boolean add, IpFamily family, String table, String set, String body, int seq) {
        List<Field> fields = KEYS.get(set);
        if (fields == null) {
            return false;
        }
        List<byte[]> keys = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (String element : body.split(", ")) {
            String[] kv = element.split(" : ", -1);
            if (kv.length > 2 || (kv.length == 2) != (add && isMap(set))) {
                return false;
            }
            byte[] key = key(kv[0], fields, family);
            if (key == null || (kv.length == 2 && !VERDICT.matcher(kv[1]).matches())) {
                return false;
            }
            keys.add(key);
            values.add(kv.length == 2 ? kv[1] : null);
        }
        out.message(add ? NEWSETELEM : DELSETELEM, family, NLM_F_REQUEST | NLM_F_ACK | (add ? NLM_F_CREATE : 0), seq,
                a -> {
                    a.string(1, table).string(2, set);
                    a.nested(3, list -> {
                        for (int i = 0; i < keys.size(); i++) {
                            byte[] key = keys.get(i);
                            String value = values.get(i);
                            list.nested(1, el -> {
                                el.nested(1, k -> k.bytes(1, key));
                                if (value != null) {
                                    el.nested(2, d -> verdictValue(d, value));
                                }
                            });
                        }
                    });
                });
        return true;
    }

    private static boolean isMap(String set) {
        return !set.equals(ChainNames.CLUSTER_IPS) && !set.equals(ChainNames.NODEPORT_IPS)
                && !set.equals(ChainNames.HAIRPIN_IPS);
    }

    /** A concatenated key: each field in network order, padded to 4 bytes, as the kernel's registers hold it. */
    private static byte[] key(String text, List<Field> fields, IpFamily family) {
        String[] parts = text.split(" \\. ", -1);
        if (parts.length != fields.size()) {
            return null;
        }
        ByteArrayOutputStream key = new ByteArrayOutputStream();
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            switch (fields.get(i)) {
                case ADDR -> {
                    if (!IpAddress.isValid(p) || IpAddress.parse(p).family() != family) {
                        return null;
                    }
                    key.writeBytes(IpAddress.parse(p).toBytes());
                }
                case PROTO -> {
                    Integer proto = PROTOCOLS.get(p);
                    if (proto == null) {
                        return null;
                    }
                    key.writeBytes(new byte[] {(byte) (int) proto, 0, 0, 0});
                }
                case PORT -> {
                    if (!p.matches("\\d{1,5}") || Integer.parseInt(p) > 65535) {
                        return null;
                    }
                    int port = Integer.parseInt(p);
                    key.writeBytes(new byte[] {(byte) (port >> 8), (byte) port, 0, 0});
                }
            }
        }
        return key.toByteArray();
    }

    private static void verdictValue(Attrs d, String value) {
        Matcher m = VERDICT.matcher(value);
        m.matches();
        if (m.group(1) != null) {
            verdict(d, m.group(1).equals("jump") ? NFT_JUMP : NFT_GOTO, m.group(2));
        } else {
            verdict(d, m.group(3).equals("drop") ? NF_DROP : NF_ACCEPT, null);
        }
    }

    private static void verdict(Attrs d, int code, String chain) {
        d.nested(2, v -> {
            v.u32(1, code);
            if (chain != null) {
                v.string(2, chain);
            }
        });
    }

    private static IpFamily family(String keyword) {
        return keyword.equals("ip6") ? IpFamily.IPv6 : IpFamily.IPv4;
    }

    private static int nfproto(IpFamily family) {
        return family == IpFamily.IPv6 ? 10 : 2;
    }

    /** Netlink attributes: host-order headers, 4-byte alignment; nf_tables' integer payloads are big-endian. */
    private static class Attrs {
        final ByteArrayOutputStream buf = new ByteArrayOutputStream();

        Attrs bytes(int type, byte[] value) {
            header(4 + value.length, type);
            buf.writeBytes(value);
            pad();
            return this;
        }

        Attrs string(int type, String value) {
            byte[] s = value.getBytes(StandardCharsets.UTF_8);
            byte[] z = new byte[s.length + 1];
            System.arraycopy(s, 0, z, 0, s.length);
            return bytes(type, z);
        }

        Attrs u32(int type, int value) {
            return bytes(type, ByteBuffer.allocate(4).order(ByteOrder.BIG_ENDIAN).putInt(value).array());
        }

        Attrs nested(int type, java.util.function.Consumer<Attrs> body) {
            Attrs inner = new Attrs();
            body.accept(inner);
            header(4 + inner.buf.size(), type | NLA_F_NESTED);
            buf.writeBytes(inner.buf.toByteArray());
            return this;
        }

        private void header(int len, int type) {
            buf.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putShort((short) len)
                    .putShort((short) type).array());
        }

        private void pad() {
            while (buf.size() % 4 != 0) {
                buf.write(0);
            }
        }
    }

    private static final class Out extends Attrs {
        /** One nf_tables message: nlmsghdr, nfgenmsg (family, version 0, resource id 0) and attributes. */
        void message(int msg, IpFamily family, int flags, int seq, java.util.function.Consumer<Attrs> body) {
            Attrs attrs = new Attrs();
            body.accept(attrs);
            header((SUBSYS_NFTABLES << 8) | msg, flags, seq, nfproto(family), 0, attrs.buf.size());
            buf.writeBytes(attrs.buf.toByteArray());
        }

        /** The batch's begin or end: no family, the subsystem as resource id, no ack. */
        void marker(int type, int seq) {
            header(type, NLM_F_REQUEST, seq, 0, SUBSYS_NFTABLES, 0);
        }

        private void header(int type, int flags, int seq, int nfproto, int resId, int attrBytes) {
            ByteBuffer h = ByteBuffer.allocate(20).order(ByteOrder.nativeOrder());
            h.putInt(20 + attrBytes).putShort((short) type).putShort((short) flags).putInt(seq).putInt(0);
            h.put((byte) nfproto).put((byte) 0).order(ByteOrder.BIG_ENDIAN).putShort((short) resId);
            buf.writeBytes(h.array());
        }

        byte[] toByteArray() {
            return buf.toByteArray();
        }
    }
}

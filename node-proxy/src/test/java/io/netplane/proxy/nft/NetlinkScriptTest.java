package io.netplane.proxy.nft;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which scripts become a netlink batch, and the batch's framing (what the kernel makes of it: NetlinkChangesIT). */
class NetlinkScriptTest {
    static final String T = "ip np";

    @Test
    void anEndpointChangeIsOneMessagePerLineBetweenBeginAndEnd() {
        String script = "delete element " + T + " hairpin-ips { 10.240.0.1 . 10.240.0.1 }\n"
                + "flush chain " + T + " service-ABC-ns/a/tcp/http\n"
                + "add rule " + T + " service-ABC-ns/a/tcp/http meta l4proto tcp numgen random mod 2 0 dnat ip to 10.240.0.2:8080\n"
                + "add rule " + T + " service-ABC-ns/a/tcp/http meta l4proto tcp dnat ip to 10.240.0.3:8080\n";
        NetlinkScript.Batch b = NetlinkScript.encode(script, 100);
        assertThat(b).isNotNull();
        List<int[]> headers = headers(b.bytes());
        // type, flags, seq
        assertThat(headers).extracting(h -> h[0]).containsExactly(0x10, 0x0a0e, 0x0a08, 0x0a06, 0x0a06, 0x11);
        assertThat(headers).extracting(h -> h[2]).containsExactly(100, 101, 102, 103, 104, 105);
        assertThat(headers.subList(1, 5)).allMatch(h -> (h[1] & 0x4) != 0); // every change asks for an ack
        assertThat(headers.get(0)[1] & 0x4).isZero();
        assertThat(b.line(102)).isEqualTo("flush chain " + T + " service-ABC-ns/a/tcp/http");
        assertThat(b.line(100)).isNull();
    }

    @Test
    void elementKeysArePaddedFieldsInNetworkOrder() {
        NetlinkScript.Batch b = NetlinkScript.encode("add element " + T + " service-ips { 10.96.0.10 . udp . 53 : goto x }\n", 1);
        String hex = HexFormat.of().formatHex(b.bytes());
        // 10.96.0.10, udp (17) padded to 4 bytes, port 53 big-endian padded to 4 bytes
        assertThat(hex).contains("0a60000a" + "11000000" + "00350000");
        // the verdict: NFT_GOTO (-4) big-endian, then the chain name
        assertThat(hex).contains("fffffffc").contains(HexFormat.of().formatHex("x\0".getBytes()));
    }

    @Test
    void whatTheEncoderDoesNotKnowGoesToNft() {
        assertThat(NetlinkScript.encode("add table " + T + "\n", 1)).isNull();
        assertThat(NetlinkScript.encode("add set " + T + " affinity-X { type ipv4_addr ; flags dynamic,timeout ; timeout 10800s ; }\n", 1)).isNull();
        assertThat(NetlinkScript.encode("add rule " + T + " external-X fib saddr type local jump mark-for-masquerade\n", 1)).isNull();
        assertThat(NetlinkScript.encode("add rule " + T + " service-X meta l4proto tcp dnat ip to numgen random mod 40 map { 0 : 10.0.0.1 . 80 }\n", 1)).isNull();
        assertThat(NetlinkScript.encode("add element " + T + " affinity-X { 10.0.0.1 }\n", 1)).isNull();
        // a map element without its verdict, an IPv6 address in an IPv4 table, a port out of range
        assertThat(NetlinkScript.encode("add element " + T + " service-ips { 10.96.0.10 . tcp . 80 }\n", 1)).isNull();
        assertThat(NetlinkScript.encode("add element " + T + " cluster-ips { fd00::1 }\n", 1)).isNull();
        assertThat(NetlinkScript.encode("add element " + T + " service-nodeports { tcp . 70000 : goto x }\n", 1)).isNull();
        assertThat(NetlinkScript.encode("", 1)).isNull();
        // one unknown line sends the whole script to nft: a batch is all or nothing
        assertThat(NetlinkScript.encode("flush chain " + T + " service-X\nadd table " + T + "\n", 1)).isNull();
    }

    @Test
    void aBatchOfMoreMessagesThanTheHelperCanHaveAckedGoesToNft() {
        String line = "add element " + T + " cluster-ips { 10.96.0.10 }\n";
        assertThat(NetlinkScript.encode(line.repeat(NetlinkScript.MAX_MESSAGES), 1)).isNotNull();
        assertThat(NetlinkScript.encode(line.repeat(NetlinkScript.MAX_MESSAGES + 1), 1)).isNull();
    }

    @Test
    void verdictRulesAndIpv6Endpoints() {
        assertThat(NetlinkScript.encode("add rule " + T + " external-X jump mark-for-masquerade\n"
                + "add rule " + T + " external-X goto service-X\n", 1)).isNotNull();
        assertThat(NetlinkScript.encode("add rule ip6 np service-X meta l4proto udp dnat ip6 to [fd00::5]:53\n", 1)).isNotNull();
        assertThat(NetlinkScript.encode("add rule ip6 np service-X meta l4proto udp dnat ip to 10.0.0.1:53\n", 1)).isNull();
    }

    /** Each message's type, flags and sequence number, walking the nlmsghdr lengths. */
    private static List<int[]> headers(byte[] bytes) {
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
        List<int[]> out = new ArrayList<>();
        while (buf.remaining() >= 16) {
            int start = buf.position();
            int len = buf.getInt();
            int type = Short.toUnsignedInt(buf.getShort());
            int flags = Short.toUnsignedInt(buf.getShort());
            int seq = buf.getInt();
            out.add(new int[] {type, flags, seq});
            buf.position(start + ((len + 3) & ~3));
        }
        assertThat(buf.remaining()).isZero();
        return out;
    }
}

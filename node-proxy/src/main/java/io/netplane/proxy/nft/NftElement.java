package io.netplane.proxy.nft;

/**
 * One element of a shared set or verdict map.
 *
 * @param container the set or map name
 * @param value the verdict for a map element, null for a set element
 */
public record NftElement(String container, String key, String value) {
    /** The element as written inside {@code { ... }}. */
    public String text() {
        return value == null ? key : key + " : " + value;
    }

    /** Identity within the table: a container holds a key once. */
    public String slot() {
        return container + " " + key;
    }
}

package dev.teal.gateway.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValidationUtil;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.util.AsciiString;
import io.netty.util.CharsetUtil;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.Collections;
import java.util.Date;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The header fields of a decoded HTTP/1.1 message head, as two flat arrays in wire order (names, values): what the
 * proxy's decoders build instead of Netty's hashed {@code DefaultHttpHeaders}. A head carries a handful of fields
 * and is read a few times by name, so a linear case-insensitive scan beats hashing, and the head costs two arrays
 * instead of a bucket table and one linked entry per field. Names and values are validated as Netty's default
 * factory does (a token name; no CR, LF or other prohibited byte in a value), so the decoders refuse what they
 * refused before. Not thread-safe: a head belongs to one event loop.
 */
final class FlatHeaders extends HttpHeaders {
    /** What the proxy's decoders hand Netty for heads. */
    static final HttpHeadersFactory FACTORY = factory(false, null);
    /**
     * For trailers: most messages have none, yet Netty's decoder makes an empty trailer set for every last content,
     * so an empty one costs one small object here. Names that frame a message are refused, as Netty's trailer
     * factory does.
     */
    static final HttpHeadersFactory TRAILERS = factory(true, null);

    private static final CharSequence[] NONE = new CharSequence[0];
    private static final short COLON_SPACE = (':' << 8) | ' ';
    private static final short CRLF = ('\r' << 8) | '\n';

    /** Heads (or trailers) whose names, when {@code checked} split them last, are known tokens; null: check all. */
    static HttpHeadersFactory factory(boolean trailers, HeaderNames.Checked checked) {
        return new HttpHeadersFactory() {
            @Override
            public HttpHeaders newHeaders() {
                return new FlatHeaders(trailers, checked);
            }

            @Override
            public HttpHeaders newEmptyHeaders() {
                return new FlatHeaders(trailers, checked);
            }
        };
    }

    private final boolean trailers;
    /** The decoder building this head, whose last split name needs no check; or null. */
    private final HeaderNames.Checked checked;
    private CharSequence[] names = NONE;
    private CharSequence[] values = NONE;
    private int size;

    FlatHeaders(boolean trailers) {
        this(trailers, null);
    }

    private FlatHeaders(boolean trailers, HeaderNames.Checked checked) {
        this.trailers = trailers;
        this.checked = checked;
    }

    // ---- reads -------------------------------------------------------------------------------------------------

    private int indexOf(CharSequence name, int from) {
        int length = name.length();
        for (int i = from; i < size; i++) {
            if (names[i].length() == length && AsciiString.contentEqualsIgnoreCase(names[i], name)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String get(String name) {
        return get((CharSequence) name);
    }

    @Override
    public String get(CharSequence name) {
        int i = indexOf(name, 0);
        return i < 0 ? null : values[i].toString();
    }

    @Override
    public String get(CharSequence name, String defaultValue) {
        String v = get(name);
        return v == null ? defaultValue : v;
    }

    @Override
    public Integer getInt(CharSequence name) {
        String v = get(name);
        if (v == null) {
            return null;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public int getInt(CharSequence name, int defaultValue) {
        Integer v = getInt(name);
        return v == null ? defaultValue : v;
    }

    @Override
    public Short getShort(CharSequence name) {
        String v = get(name);
        if (v == null) {
            return null;
        }
        try {
            return Short.parseShort(v.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public short getShort(CharSequence name, short defaultValue) {
        Short v = getShort(name);
        return v == null ? defaultValue : v;
    }

    @Override
    public Long getTimeMillis(CharSequence name) {
        String v = get(name);
        if (v == null) {
            return null;
        }
        Date d = DateFormatter.parseHttpDate(v);
        return d == null ? null : d.getTime();
    }

    @Override
    public long getTimeMillis(CharSequence name, long defaultValue) {
        Long v = getTimeMillis(name);
        return v == null ? defaultValue : v;
    }

    @Override
    public List<String> getAll(String name) {
        return getAll((CharSequence) name);
    }

    @Override
    public List<String> getAll(CharSequence name) {
        int i = indexOf(name, 0);
        if (i < 0) {
            return Collections.emptyList();
        }
        int next = indexOf(name, i + 1);
        if (next < 0) {
            return Collections.singletonList(values[i].toString());
        }
        List<String> all = new ArrayList<>(4);
        for (; i >= 0; i = indexOf(name, i + 1)) {
            all.add(values[i].toString());
        }
        return all;
    }

    @Override
    public Iterator<String> valueStringIterator(CharSequence name) {
        return getAll(name).iterator();
    }

    @Override
    public Iterator<? extends CharSequence> valueCharSequenceIterator(CharSequence name) {
        return getAll(name).iterator();
    }

    @Override
    public List<Map.Entry<String, String>> entries() {
        List<Map.Entry<String, String>> all = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            all.add(new AbstractMap.SimpleImmutableEntry<>(names[i].toString(), values[i].toString()));
        }
        return all;
    }

    @Override
    public boolean contains(String name) {
        return indexOf(name, 0) >= 0;
    }

    @Override
    public boolean contains(CharSequence name) {
        return indexOf(name, 0) >= 0;
    }

    @Override
    public boolean contains(String name, String value, boolean ignoreCase) {
        return contains((CharSequence) name, value, ignoreCase);
    }

    @Override
    public boolean contains(CharSequence name, CharSequence value, boolean ignoreCase) {
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i + 1)) {
            if (ignoreCase ? AsciiString.contentEqualsIgnoreCase(values[i], value)
                    : AsciiString.contentEquals(values[i], value)) {
                return true;
            }
        }
        return false;
    }

    /** As Netty's: true when a comma-separated element of a value, trimmed, equals {@code value}. */
    @Override
    public boolean containsValue(CharSequence name, CharSequence value, boolean ignoreCase) {
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i + 1)) {
            if (hasElement(values[i], value, ignoreCase)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasElement(CharSequence v, CharSequence expected, boolean ignoreCase) {
        int n = v.length();
        int start = 0;
        while (start <= n) {
            int comma = start;
            while (comma < n && v.charAt(comma) != ',') {
                comma++;
            }
            int s = start;
            int e = comma;
            while (s < e && v.charAt(s) <= ' ') {
                s++;
            }
            while (e > s && v.charAt(e - 1) <= ' ') {
                e--;
            }
            if (e - s == expected.length() && regionEquals(v, s, expected, ignoreCase)) {
                return true;
            }
            start = comma + 1;
        }
        return false;
    }

    private static boolean regionEquals(CharSequence v, int from, CharSequence expected, boolean ignoreCase) {
        for (int k = 0, n = expected.length(); k < n; k++) {
            char a = v.charAt(from + k);
            char b = expected.charAt(k);
            if (a != b && (!ignoreCase || AsciiString.toLowerCase(a) != AsciiString.toLowerCase(b))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Iterator<Map.Entry<String, String>> iterator() {
        return entries().iterator();
    }

    @Override
    public Iterator<Map.Entry<CharSequence, CharSequence>> iteratorCharSequence() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < size;
            }

            @Override
            public Map.Entry<CharSequence, CharSequence> next() {
                if (next >= size) {
                    throw new NoSuchElementException();
                }
                int i = next++;
                return new AbstractMap.SimpleImmutableEntry<>(names[i], values[i]);
            }
        };
    }

    /**
     * Writes the fields as {@code name: value CRLF} lines, as Netty's encoder does (each char one byte), without an
     * iterator or entry objects; false (nothing written) when {@code headers} are another kind.
     */
    static boolean encode(HttpHeaders headers, ByteBuf buf) {
        if (!(headers instanceof FlatHeaders h)) {
            return false;
        }
        for (int i = 0; i < h.size; i++) {
            CharSequence name = h.names[i];
            CharSequence value = h.values[i];
            buf.ensureWritable(name.length() + value.length() + 4);
            writeAscii(buf, name);
            buf.writeShort(COLON_SPACE);
            writeAscii(buf, value);
            buf.writeShort(CRLF);
        }
        return true;
    }

    private static void writeAscii(ByteBuf buf, CharSequence s) {
        if (s instanceof AsciiString a) {
            buf.writeBytes(a.array(), a.arrayOffset(), a.length());
        } else {
            buf.writeCharSequence(s, CharsetUtil.US_ASCII); // as Netty's encoder: chars up to 0xff as one byte each
        }
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Set<String> names() {
        Set<String> all = new LinkedHashSet<>();
        for (int i = 0; i < size; i++) {
            all.add(names[i].toString());
        }
        return all;
    }

    // ---- writes ------------------------------------------------------------------------------------------------

    @Override
    public HttpHeaders add(String name, Object value) {
        return add((CharSequence) name, value);
    }

    @Override
    public HttpHeaders add(CharSequence name, Object value) {
        if (checked == null || !checked.isLast(name)) {
            validateName(name); // the decoder's own names were checked once, when they entered HeaderNames
        }
        return addChecked(name, value);
    }

    /**
     * Adds a field whose name is one of the proxy's own constants (a known token), without checking the name again
     * when {@code h} is a {@code FlatHeaders}; the value is checked as by {@link #add}.
     */
    static void addKnownName(HttpHeaders h, AsciiString name, Object value) {
        if (h instanceof FlatHeaders flat) {
            flat.addChecked(name, value);
        } else {
            h.add(name, value);
        }
    }

    private HttpHeaders addChecked(CharSequence name, Object value) {
        if (trailers && (HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(name)
                || HttpHeaderNames.TRANSFER_ENCODING.contentEqualsIgnoreCase(name)
                || HttpHeaderNames.TRAILER.contentEqualsIgnoreCase(name))) {
            throw new IllegalArgumentException("prohibited trailing header: " + name);
        }
        CharSequence v = toValue(value);
        if (size == names.length) {
            grow();
        }
        names[size] = name;
        values[size] = v;
        size++;
        return this;
    }

    @Override
    public HttpHeaders add(String name, Iterable<?> values) {
        return add((CharSequence) name, values);
    }

    @Override
    public HttpHeaders add(CharSequence name, Iterable<?> values) {
        for (Object v : values) {
            if (v == null) {
                break;
            }
            add(name, v);
        }
        return this;
    }

    @Override
    public HttpHeaders addInt(CharSequence name, int value) {
        return add(name, Integer.toString(value));
    }

    @Override
    public HttpHeaders addShort(CharSequence name, short value) {
        return add(name, Short.toString(value));
    }

    @Override
    public HttpHeaders set(String name, Object value) {
        return set((CharSequence) name, value);
    }

    @Override
    public HttpHeaders set(CharSequence name, Object value) {
        remove(name);
        return add(name, value);
    }

    @Override
    public HttpHeaders set(String name, Iterable<?> values) {
        return set((CharSequence) name, values);
    }

    @Override
    public HttpHeaders set(CharSequence name, Iterable<?> values) {
        remove(name);
        return add(name, values);
    }

    @Override
    public HttpHeaders setInt(CharSequence name, int value) {
        return set(name, Integer.toString(value));
    }

    @Override
    public HttpHeaders setShort(CharSequence name, short value) {
        return set(name, Short.toString(value));
    }

    @Override
    public HttpHeaders remove(String name) {
        return remove((CharSequence) name);
    }

    @Override
    public HttpHeaders remove(CharSequence name) {
        int first = indexOf(name, 0);
        if (first < 0) {
            return this; // the usual case: the proxy removes hop-by-hop fields most messages do not carry
        }
        int kept = first;
        for (int i = first + 1; i < size; i++) {
            if (!AsciiString.contentEqualsIgnoreCase(names[i], name)) {
                names[kept] = names[i];
                values[kept] = values[i];
                kept++;
            }
        }
        truncate(kept);
        return this;
    }

    /**
     * Removes every field named (case-insensitively) by one of {@code drop}, in one pass over the head instead of
     * one scan per name: the proxy strips about ten names from every message, and most messages carry none of them.
     */
    void removeAll(AsciiString[] drop) {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            CharSequence name = names[i];
            if (!isAnyOf(name, drop)) {
                names[kept] = name;
                values[kept] = values[i];
                kept++;
            }
        }
        truncate(kept);
    }

    /** Keeps the first {@code kept} fields, dropping the references past them. */
    private void truncate(int kept) {
        Arrays.fill(names, kept, size, null);
        Arrays.fill(values, kept, size, null);
        size = kept;
    }

    private static boolean isAnyOf(CharSequence name, AsciiString[] drop) {
        int length = name.length();
        for (AsciiString d : drop) {
            if (d.length() == length && d.contentEqualsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Room for more fields: 16 at first (a typical response head has about ten, so it is not copied again), then
     * twice as many. {@code new} and {@code arraycopy} rather than {@code Arrays.copyOf}, which for a
     * {@code CharSequence[]} goes through reflection to make the new array.
     */
    private void grow() {
        int n = Math.max(16, size * 2);
        CharSequence[] moreNames = new CharSequence[n];
        CharSequence[] moreValues = new CharSequence[n];
        System.arraycopy(names, 0, moreNames, 0, size);
        System.arraycopy(values, 0, moreValues, 0, size);
        names = moreNames;
        values = moreValues;
    }

    @Override
    public HttpHeaders clear() {
        truncate(0);
        return this;
    }

    static void validateName(CharSequence name) {
        if (name == null || name.length() == 0) {
            throw new IllegalArgumentException("empty headers are not allowed [" + name + ']');
        }
        int index = HttpHeaderValidationUtil.validateToken(name);
        if (index != -1) {
            throw new IllegalArgumentException("a header name can only contain \"token\" characters, but found "
                    + "invalid character 0x" + Integer.toHexString(name.charAt(index)) + " at index " + index);
        }
    }

    private static CharSequence toValue(Object value) {
        if (value == null) {
            throw new NullPointerException("value");
        }
        CharSequence v;
        if (value instanceof CharSequence cs) {
            v = cs;
        } else if (value instanceof Date d) {
            v = DateFormatter.format(d);
        } else if (value instanceof Calendar c) {
            v = DateFormatter.format(c.getTime());
        } else {
            v = value.toString();
        }
        int index = HttpHeaderValidationUtil.validateValidHeaderValue(v);
        if (index != -1) {
            throw new IllegalArgumentException("a header value contains prohibited character 0x"
                    + Integer.toHexString(v.charAt(index)) + " at index " + index + '.');
        }
        return v;
    }
}

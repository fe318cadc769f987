package io.edgesync.cli.logging;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fields of an EdgeSync log message, written as {@code event=sink_started group_id=g port=7072
 * reason="a b"}: each {@code key=value} (the value quoted when it holds spaces) becomes a field; text
 * that is not a pair is kept under {@code text}.
 */
public final class KeyValues {
    private KeyValues() {
    }

    public static Map<String, String> parse(String message) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (message == null) {
            return fields;
        }
        StringBuilder text = new StringBuilder();
        int i = 0;
        int n = message.length();
        while (i < n) {
            while (i < n && message.charAt(i) == ' ') {
                i++;
            }
            int start = i;
            while (i < n && isKeyChar(message.charAt(i))) {
                i++;
            }
            if (i > start && i < n && message.charAt(i) == '=') {
                String key = message.substring(start, i);
                i++;
                String value;
                if (i < n && message.charAt(i) == '"') {
                    int close = message.indexOf('"', i + 1);
                    close = close < 0 ? n : close;
                    value = message.substring(i + 1, close);
                    i = Math.min(n, close + 1);
                } else {
                    int end = message.indexOf(' ', i);
                    end = end < 0 ? n : end;
                    value = message.substring(i, end);
                    i = end;
                }
                fields.putIfAbsent(key, value);
            } else {
                int end = message.indexOf(' ', Math.max(i, start));
                end = end < 0 ? n : end;
                if (end > start) {
                    text.append(text.length() == 0 ? "" : " ").append(message, start, end);
                }
                i = Math.max(end, i + 1);
            }
        }
        if (text.length() > 0) {
            fields.putIfAbsent("text", text.toString());
        }
        return fields;
    }

    private static boolean isKeyChar(char c) {
        return c == '_' || c == '.' || c == '-' || Character.isLetterOrDigit(c);
    }
}

package io.edgesync.dispatcher.schema;

/** One registered edge schema migration, as the API shows it. Never changed once registered. */
public record EdgeSchema(long version, String description, String upSql, String downSql, String checksum,
                         String registeredBy, String registeredAt) {
}

-- Codes are looked up per device id: the reservation check of a fleet-key registration, the listing.
CREATE INDEX IF NOT EXISTS enrollment_codes_device ON enrollment_codes (device_id, created_at DESC);

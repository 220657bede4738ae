package dev.swinserve.converter.checkpoint;

/**
 * A storage named by a persistent id {@code ('storage', storage_type, key, location, numel)}: its
 * bytes are the archive entry {@code <archive>/data/<key>}. Records compare by value, so tensors
 * that share a storage group under one reference.
 *
 * @param elementCount the number of elements the storage declares (numel, not bytes)
 */
record StorageReference(TorchStorageType type, String key, String location, long elementCount) {}

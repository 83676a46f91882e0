#include "schemaguard/registry/snapshot.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>
#include <string>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "schemaguard/base/digest.h"
#include "schemaguard/registry/projection_state.h"
#include "schemaguard/storage/file_sync.h"

namespace sg::registry {
namespace {

constexpr std::string_view kMagic = "SGSNAPSH";
// The layout of the file and of Projection::save, and the rules the saved state was built by:
// bumped whenever either changes, so that a snapshot of another version is replayed over, not
// trusted.
constexpr std::uint32_t kFormat = 1;
constexpr std::size_t kHeaderSize = kMagic.size() + 4 + 8 + 32 + 32 + 8 + 8;
constexpr std::size_t kChecksumSize = 32;

Error store_error(std::string message) {
  return Error(ErrorCode::kStoreError, std::move(message));
}

// Appends fixed-width little-endian integers and length-prefixed bytes.
class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}

  void u8(std::uint8_t value) { out_.push_back(static_cast<char>(value)); }
  void u32(std::uint32_t value) {
    for (int i = 0; i < 4; ++i) u8(static_cast<std::uint8_t>(value >> (8 * i)));
  }
  void u64(std::uint64_t value) {
    for (int i = 0; i < 8; ++i) u8(static_cast<std::uint8_t>(value >> (8 * i)));
  }
  void i32(int value) { u32(static_cast<std::uint32_t>(value)); }
  void bytes(std::string_view value) {
    u64(value.size());
    out_.append(value);
  }
  void opt_bytes(const std::optional<std::string>& value) {
    u8(value ? 1 : 0);
    if (value) bytes(*value);
  }
  void raw(const std::uint8_t* data, std::size_t size) {
    out_.append(reinterpret_cast<const char*>(data), size);
  }

 private:
  std::string& out_;
};

// Reads what Writer wrote. A read past the end, or a count larger than the bytes left could hold,
// marks the reader failed and returns zeros: callers check ok() once at the end.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}

  bool ok() const { return ok_; }
  bool at_end() const { return pos_ == in_.size(); }

  std::uint8_t u8() {
    if (!need(1)) return 0;
    return static_cast<std::uint8_t>(in_[pos_++]);
  }
  std::uint32_t u32() {
    std::uint32_t value = 0;
    for (int i = 0; i < 4; ++i) value |= static_cast<std::uint32_t>(u8()) << (8 * i);
    return value;
  }
  std::uint64_t u64() {
    std::uint64_t value = 0;
    for (int i = 0; i < 8; ++i) value |= static_cast<std::uint64_t>(u8()) << (8 * i);
    return value;
  }
  int i32() { return static_cast<int>(static_cast<std::int32_t>(u32())); }
  std::string_view bytes() {
    const std::uint64_t size = u64();
    if (!need(size)) return {};
    std::string_view value = in_.substr(pos_, static_cast<std::size_t>(size));
    pos_ += static_cast<std::size_t>(size);
    return value;
  }
  std::optional<std::string> opt_bytes() {
    if (u8() == 0) return std::nullopt;
    return std::string(bytes());
  }
  void raw(std::uint8_t* data, std::size_t size) {
    if (!need(size)) return;
    std::memcpy(data, in_.data() + pos_, size);
    pos_ += size;
  }
  // A count of elements of at least `min_size` bytes each.
  std::size_t count(std::size_t min_size) {
    const std::uint64_t n = u64();
    if (n > (in_.size() - pos_) / min_size) ok_ = false;
    return ok_ ? static_cast<std::size_t>(n) : 0;
  }

 private:
  bool need(std::uint64_t size) {
    if (ok_ && size <= in_.size() - pos_) return true;
    ok_ = false;
    return false;
  }

  std::string_view in_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace

// Payload: applied_end, then the schemas (each id's content), the subjects (each version names
// its schema by its position among the schemas), the content index (the same way), configs and
// modes (as their log records), the highest id of each context, and the contexts. Which versions
// use an id, and which ids reference a version, follow from the rest and are rebuilt on load.
void Projection::save(std::string& out) const {
  const internal::ShardedTables& t = impl_->tables;
  Writer w(out);
  w.u64(applied_end());

  std::vector<StoredSchemaPtr> schemas;
  t.ids.for_each([&](const std::string&, const internal::IdEntryPtr& entry) {
    schemas.push_back(entry->schema);
  });
  std::unordered_map<const StoredSchema*, std::uint32_t> position;
  position.reserve(schemas.size());
  w.u64(schemas.size());
  for (const StoredSchemaPtr& schema : schemas) {
    position.emplace(schema.get(), static_cast<std::uint32_t>(position.size()));
    w.bytes(schema->context);
    w.i32(schema->id);
    w.u8(static_cast<std::uint8_t>(schema->type));
    w.u64(schema->references.size());
    for (const SchemaReference& ref : schema->references) {
      w.bytes(ref.name);
      w.bytes(ref.subject);
      w.i32(ref.version);
    }
    w.opt_bytes(schema->metadata);
    w.opt_bytes(schema->rule_set);
    w.bytes(schema->schema);
  }

  std::vector<SubjectStatePtr> subjects;
  t.subjects.for_each(
      [&](const std::string&, const SubjectStatePtr& state) { subjects.push_back(state); });
  w.u64(subjects.size());
  for (const SubjectStatePtr& state : subjects) {
    w.bytes(state->name);
    w.u64(state->versions.size());
    for (const SubjectVersion& v : state->versions) {
      w.i32(v.version);
      // Every version's schema is an id's (the tables are only changed together).
      w.u32(position.at(v.schema.get()));
      w.u8(v.deleted ? 1 : 0);
      w.u64(v.offset);
    }
  }

  std::vector<std::uint32_t> indexed;
  t.content_index.for_each([&](const std::size_t&, const internal::ContentBucketPtr& bucket) {
    for (const StoredSchemaPtr& schema : *bucket) indexed.push_back(position.at(schema.get()));
  });
  w.u64(indexed.size());
  for (const std::uint32_t schema : indexed) w.u32(schema);

  auto write_records = [&](const auto& table) {
    std::vector<storage::LogRecord> records;
    table.for_each(
        [&](const std::string&, const auto& record) { records.push_back(encode(Record(record))); });
    w.u64(records.size());
    for (const storage::LogRecord& record : records) {
      w.bytes(record.key);
      w.opt_bytes(record.value);
    }
  };
  write_records(t.configs);
  write_records(t.modes);

  std::vector<std::pair<std::string, int>> max_ids;
  t.max_ids.for_each(
      [&](const std::string& context, const int& id) { max_ids.emplace_back(context, id); });
  w.u64(max_ids.size());
  for (const auto& [context, id] : max_ids) {
    w.bytes(context);
    w.i32(id);
  }

  std::vector<std::string> contexts;
  t.contexts.for_each([&](const std::string& name, const bool&) { contexts.push_back(name); });
  w.u64(contexts.size());
  for (const std::string& name : contexts) w.bytes(name);
}

Status Projection::load(std::string_view bytes, const std::function<Status()>& accept) {
  auto fresh = std::make_unique<Impl>();
  internal::ShardedTables& t = fresh->tables;
  Reader r(bytes);
  auto corrupt = [](std::string what) { return store_error("snapshot payload: " + what); };
  const std::uint64_t end = r.u64();

  // The schemas, and the versions that use each, gathered from the subjects below.
  std::vector<StoredSchemaPtr> schemas(r.count(8 + 4 + 1 + 8 + 1 + 1 + 8));
  std::vector<std::vector<SubjectAndVersion>> uses(schemas.size());
  for (std::size_t i = 0; i < schemas.size() && r.ok(); ++i) {
    auto schema = std::make_shared<StoredSchema>();
    schema->context = std::string(r.bytes());
    schema->id = r.i32();
    const std::uint8_t type = r.u8();
    if (type > static_cast<std::uint8_t>(SchemaType::kProtobuf)) return corrupt("schema type");
    schema->type = static_cast<SchemaType>(type);
    const std::size_t refs = r.count(8 + 8 + 4);
    for (std::size_t j = 0; j < refs && r.ok(); ++j) {
      SchemaReference ref;
      ref.name = std::string(r.bytes());
      ref.subject = std::string(r.bytes());
      ref.version = r.i32();
      schema->references.push_back(std::move(ref));
    }
    schema->metadata = r.opt_bytes();
    schema->rule_set = r.opt_bytes();
    schema->schema = std::string(r.bytes());
    schemas[i] = std::move(schema);
  }

  const std::size_t subject_count = r.count(8 + 8);
  std::size_t live_subjects = 0;
  for (std::size_t i = 0; i < subject_count && r.ok(); ++i) {
    auto state = std::make_shared<SubjectState>();
    state->name = std::string(r.bytes());
    const std::string context = context_of(state->name);
    const std::size_t versions = r.count(4 + 4 + 1 + 8);
    state->versions.reserve(versions);
    for (std::size_t j = 0; j < versions && r.ok(); ++j) {
      SubjectVersion v;
      v.version = r.i32();
      const std::uint32_t schema = r.u32();
      v.deleted = r.u8() != 0;
      v.offset = r.u64();
      if (schema >= schemas.size() || schemas[schema]->context != context) {
        return corrupt("a version of " + state->name + " names no schema of its context");
      }
      if (!state->versions.empty() && state->versions.back().version >= v.version) {
        return corrupt("versions of " + state->name + " out of order");
      }
      v.schema = schemas[schema];
      uses[schema].push_back({state->name, v.version, v.deleted});
      state->versions.push_back(std::move(v));
    }
    if (state->versions.empty()) return corrupt("subject " + state->name + " has no versions");
    const std::string name = state->name;
    // A subject saved twice (damaged bytes) would be counted twice and use its ids twice.
    if (t.subjects.get(name)) return corrupt("subject " + name + " twice");
    if (state->has_live_versions()) ++live_subjects;
    t.subjects.put(name, std::move(state));
  }

  std::unordered_map<std::string, std::vector<int>> referenced_by;
  for (std::size_t i = 0; i < schemas.size() && r.ok(); ++i) {
    const StoredSchemaPtr& schema = schemas[i];
    // An id is in the projection only while a version uses it.
    if (uses[i].empty()) return corrupt("id " + std::to_string(schema->id) + " is unused");
    std::sort(uses[i].begin(), uses[i].end(),
              [](const SubjectAndVersion& a, const SubjectAndVersion& b) {
                return std::tie(a.subject, a.version) < std::tie(b.subject, b.version);
              });
    for (const SchemaReference& ref : schema->references) {
      referenced_by[internal::version_key(
                        internal::qualified_reference(schema->context, ref.subject), ref.version)]
          .push_back(schema->id);
    }
    auto entry = std::make_shared<internal::IdEntry>();
    entry->schema = schema;
    entry->uses = std::move(uses[i]);
    const std::string key = internal::id_key(schema->context, schema->id);
    if (t.ids.get(key)) return corrupt("id " + key + " twice");
    t.ids.put(key, std::move(entry));
  }
  for (auto& [target, ids_using] : referenced_by) {
    std::sort(ids_using.begin(), ids_using.end());
    ids_using.erase(std::unique(ids_using.begin(), ids_using.end()), ids_using.end());
    t.referenced_by.put(target, std::make_shared<const std::vector<int>>(std::move(ids_using)));
  }

  const std::size_t indexed = r.count(4);
  for (std::size_t i = 0; i < indexed && r.ok(); ++i) {
    const std::uint32_t position = r.u32();
    if (position >= schemas.size()) return corrupt("the content index names no schema");
    const StoredSchemaPtr& schema = schemas[position];
    const std::size_t hash = internal::content_hash(*schema);
    auto bucket = std::make_shared<std::vector<StoredSchemaPtr>>();
    if (auto existing = t.content_index.get(hash)) *bucket = **existing;
    bucket->push_back(schema);
    t.content_index.put(hash, std::move(bucket));
  }

  for (const bool configs : {true, false}) {
    const std::size_t records = r.count(8 + 1);
    for (std::size_t i = 0; i < records && r.ok(); ++i) {
      storage::LogRecord encoded;
      encoded.key = std::string(r.bytes());
      encoded.value = r.opt_bytes();
      if (!r.ok()) break;
      SG_ASSIGN_OR_RETURN(Record record, decode(encoded));
      if (auto* config = std::get_if<ConfigRecord>(&record); config != nullptr && configs) {
        const std::string scope = internal::scope_key(config->subject);
        t.configs.put(scope, std::move(*config));
      } else if (auto* mode = std::get_if<ModeRecord>(&record); mode != nullptr && !configs) {
        const std::string scope = internal::scope_key(mode->subject);
        t.modes.put(scope, std::move(*mode));
      } else {
        return corrupt(configs ? "a config that is not a CONFIG record"
                               : "a mode that is not a MODE record");
      }
    }
  }

  const std::size_t max_ids = r.count(8 + 4);
  for (std::size_t i = 0; i < max_ids && r.ok(); ++i) {
    const std::string context(r.bytes());
    t.max_ids.put(context, r.i32());
  }
  const std::size_t contexts = r.count(8);
  for (std::size_t i = 0; i < contexts && r.ok(); ++i) t.contexts.put(std::string(r.bytes()), true);

  if (!r.ok()) return corrupt("truncated");
  if (!r.at_end()) return corrupt("bytes after the end");
  if (accept) SG_RETURN_IF_ERROR(accept());
  t.live_subjects.store(live_subjects, std::memory_order_relaxed);
  fresh->applied_end.store(end, std::memory_order_relaxed);
  impl_ = std::move(fresh);
  return ok_status();
}

RecordHash hash_record(const storage::LogRecord& record) {
  std::string bytes;
  Writer w(bytes);
  w.bytes(record.key);
  w.opt_bytes(record.value);
  return sha256(bytes);
}

namespace {

Status write_all(int fd, std::string_view bytes, const std::filesystem::path& file) {
  while (!bytes.empty()) {
    const ssize_t written = ::write(fd, bytes.data(), bytes.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return store_error("cannot write " + file.string() + ": " + std::strerror(errno));
    }
    bytes.remove_prefix(static_cast<std::size_t>(written));
  }
  return ok_status();
}

}  // namespace

std::string encode_snapshot(const Projection& projection, const SnapshotMark& mark) {
  std::string bytes;
  Writer w(bytes);
  bytes.append(kMagic);
  w.u32(kFormat);
  w.u64(mark.end);
  w.raw(mark.first.data(), mark.first.size());
  w.raw(mark.last.data(), mark.last.size());
  w.u64(mark.skipped_records);
  const std::size_t size_at = bytes.size();
  w.u64(0);  // the payload's size, filled in below
  projection.save(bytes);
  const std::uint64_t payload_size = bytes.size() - kHeaderSize;
  for (int i = 0; i < 8; ++i) {
    bytes[size_at + static_cast<std::size_t>(i)] = static_cast<char>(payload_size >> (8 * i));
  }
  const RecordHash checksum = sha256(bytes);
  w.raw(checksum.data(), checksum.size());
  return bytes;
}

Status write_snapshot_file(const std::filesystem::path& file, std::string_view bytes) {
  std::filesystem::path temporary = file;
  temporary += ".tmp";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    return store_error("cannot create " + temporary.string() + ": " + std::strerror(errno));
  }
  Status written = write_all(fd, bytes, temporary);
  if (written.ok() && ::fsync(fd) != 0) {
    written = store_error("cannot sync " + temporary.string() + ": " + std::strerror(errno));
  }
  ::close(fd);
  if (written.ok() && ::rename(temporary.c_str(), file.c_str()) != 0) {
    written = store_error("cannot rename " + temporary.string() + ": " + std::strerror(errno));
  }
  if (!written.ok()) {
    ::unlink(temporary.c_str());
    return written;
  }
  const std::filesystem::path dir = file.has_parent_path() ? file.parent_path() : ".";
  return storage::sync_directory(dir);
}

struct SnapshotFile::Mapping {
  Mapping(void* mapped, std::size_t mapped_size) : address(mapped), size(mapped_size) {}
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;
  ~Mapping() { ::munmap(address, size); }

  std::string_view bytes() const { return {static_cast<const char*>(address), size}; }

  void* address;
  std::size_t size;
};

SnapshotFile::SnapshotFile(std::unique_ptr<Mapping> mapping, std::filesystem::path file,
                           SnapshotMark mark, std::string_view payload)
    : mapping_(std::move(mapping)), file_(std::move(file)), mark_(mark), payload_(payload) {}
SnapshotFile::SnapshotFile(SnapshotFile&&) noexcept = default;
SnapshotFile& SnapshotFile::operator=(SnapshotFile&&) noexcept = default;
SnapshotFile::~SnapshotFile() = default;

Result<SnapshotFile> SnapshotFile::open(const std::filesystem::path& file) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int open_errno = errno;
    const std::string message = "cannot open " + file.string() + ": " + std::strerror(open_errno);
    if (open_errno == ENOENT) return Error(ErrorCode::kIoError, message);
    return store_error(message);
  }
  struct stat info {};
  if (::fstat(fd, &info) != 0 || info.st_size < 0) {
    const std::string message = "cannot stat " + file.string() + ": " + std::strerror(errno);
    ::close(fd);
    return store_error(message);
  }
  const auto size = static_cast<std::size_t>(info.st_size);
  if (size < kHeaderSize + kChecksumSize) {
    ::close(fd);
    return store_error(file.string() + " is too short for a snapshot");
  }
  // Mapped and faulted in at once: the loader reads every byte, and one mmap of the page cache
  // costs less than copying it into a buffer.
  void* address = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
  const int map_errno = errno;
  ::close(fd);
  if (address == MAP_FAILED) {
    return store_error("cannot map " + file.string() + ": " + std::strerror(map_errno));
  }
  auto mapping = std::make_unique<Mapping>(address, size);
  const std::string_view bytes = mapping->bytes();

  Reader r(bytes.substr(0, kHeaderSize));
  std::string magic(kMagic.size(), '\0');
  r.raw(reinterpret_cast<std::uint8_t*>(magic.data()), magic.size());
  if (magic != kMagic) return store_error(file.string() + " is not a snapshot");
  const std::uint32_t format = r.u32();
  if (format != kFormat) {
    return store_error(file.string() + " has snapshot format " + std::to_string(format) +
                       ", this build reads format " + std::to_string(kFormat));
  }
  SnapshotMark mark;
  mark.end = r.u64();
  r.raw(mark.first.data(), mark.first.size());
  r.raw(mark.last.data(), mark.last.size());
  mark.skipped_records = r.u64();
  const std::uint64_t payload_size = r.u64();
  if (payload_size != size - kHeaderSize - kChecksumSize) {
    return store_error(file.string() + " is truncated or has trailing bytes");
  }
  return SnapshotFile(std::move(mapping), file, mark,
                      bytes.substr(kHeaderSize, static_cast<std::size_t>(payload_size)));
}

Status SnapshotFile::load_into(Projection& projection) const {
  // The checksum is computed beside the load, which keeps what it built only if the checksum
  // matches: a checksum over 100 MB takes a tenth of the load. The loader checks every length
  // and count against the bytes it has, so damaged bytes cannot make it go astray meanwhile.
  const std::string_view bytes = mapping_->bytes();
  const std::string_view covered = bytes.substr(0, bytes.size() - kChecksumSize);
  RecordHash computed{};
  std::thread checksum([&] { computed = sha256(covered); });
  bool joined = false;
  auto verify = [&]() -> Status {
    checksum.join();
    joined = true;
    if (std::memcmp(computed.data(), covered.data() + covered.size(), kChecksumSize) != 0) {
      return store_error(file_.string() + " is damaged (checksum mismatch)");
    }
    return ok_status();
  };
  Status loaded = projection.load(payload_, verify);
  if (!joined) {
    // The load failed before it asked: it is damaged either way, the checksum says how.
    Status verified = verify();
    if (!verified.ok()) return verified;
  }
  return loaded;
}

}  // namespace sg::registry

#include "schemaguard/protobuf/compat/diff.h"

#include <fmt/format.h>
#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace sg::protobuf {
namespace {

namespace gp = google::protobuf;

constexpr std::array<std::string_view, 15> kCompatibleTypes = {
    "MESSAGE_ADDED",
    "MESSAGE_MOVED",
    "ENUM_ADDED",
    "ENUM_REMOVED",
    "ENUM_CONST_ADDED",
    "ENUM_CONST_CHANGED",
    "ENUM_CONST_REMOVED",
    "FIELD_ADDED",
    "FIELD_REMOVED",
    "FIELD_NAME_CHANGED",
    "FIELD_STRING_OR_BYTES_LABEL_CHANGED",
    "ONEOF_ADDED",
    "ONEOF_REMOVED",
    "ONEOF_FIELD_ADDED",
    "ONEOF_FIELD_MOVED_TO_TOP_LEVEL",
};

template <typename Element>
TextPosition position_of(const Element* element) {
  gp::SourceLocation location;
  if (element == nullptr || !element->GetSourceLocation(&location)) return {};
  return TextPosition{location.start_line + 1, location.start_column + 1};
}

// An element of a .proto file whose line and column are looked up only when a difference at it
// is reported: libprotobuf finds a source location by hashing the element's path, which made
// locating every field of every message most of the cost of comparing large files.
class Site {
 public:
  Site() = default;
  template <typename Element>
  static Site of(const Element* element) {
    Site site;
    site.element_ = element;
    site.resolve_ = [](const void* e) { return position_of(static_cast<const Element*>(e)); };
    return site;
  }
  TextPosition position() const { return resolve_ ? resolve_(element_) : TextPosition{}; }

 private:
  const void* element_ = nullptr;
  TextPosition (*resolve_)(const void*) = nullptr;
};

// The wire-compatible classes of scalar types (§4.2 step 3): a value written as one member of a
// class decodes as any other member of it.
enum class ScalarGroup {
  kGeneralNumber,
  kSignedNumber,
  kStringOrBytes,
  kFixed32,
  kFixed64,
  kFloat,
  kDouble
};

ScalarGroup scalar_group(const gp::FieldDescriptor& field) {
  switch (field.type()) {
    case gp::FieldDescriptor::TYPE_SINT32:
    case gp::FieldDescriptor::TYPE_SINT64: return ScalarGroup::kSignedNumber;
    case gp::FieldDescriptor::TYPE_STRING:
    case gp::FieldDescriptor::TYPE_BYTES: return ScalarGroup::kStringOrBytes;
    case gp::FieldDescriptor::TYPE_FIXED32:
    case gp::FieldDescriptor::TYPE_SFIXED32: return ScalarGroup::kFixed32;
    case gp::FieldDescriptor::TYPE_FIXED64:
    case gp::FieldDescriptor::TYPE_SFIXED64: return ScalarGroup::kFixed64;
    case gp::FieldDescriptor::TYPE_FLOAT: return ScalarGroup::kFloat;
    case gp::FieldDescriptor::TYPE_DOUBLE: return ScalarGroup::kDouble;
    default: return ScalarGroup::kGeneralNumber;  // int32/64, uint32/64, bool, every enum
  }
}

enum class FieldKind { kScalar, kMessage, kMap };

FieldKind kind_of(const gp::FieldDescriptor& field) {
  if (field.is_map()) return FieldKind::kMap;
  if (field.type() == gp::FieldDescriptor::TYPE_MESSAGE ||
      field.type() == gp::FieldDescriptor::TYPE_GROUP) {
    return FieldKind::kMessage;
  }
  return FieldKind::kScalar;
}

// The type as written in a .proto file: "int32", "string", "foo.Bar".
std::string type_name(const gp::FieldDescriptor& field) {
  if (field.is_map()) {
    return fmt::format("map<{}, {}>", type_name(*field.message_type()->map_key()),
                       type_name(*field.message_type()->map_value()));
  }
  if (field.message_type()) return field.message_type()->full_name();
  if (field.enum_type()) return field.enum_type()->full_name();
  return field.type_name();
}

// The real (not proto3-optional synthetic) oneof a field belongs to, if any.
const gp::OneofDescriptor* oneof_of(const gp::FieldDescriptor& field) {
  return field.real_containing_oneof();
}

// Whether the field's label is written in the file. Confluent's parser keeps labels as written:
// proto3 singular fields, oneof members and maps have none.
bool has_explicit_label(const gp::FieldDescriptor& field) {
  if (oneof_of(field) != nullptr || field.is_map()) return false;
  if (field.is_repeated() || field.is_required()) return true;
  return field.file()->syntax() == gp::FileDescriptor::SYNTAX_PROTO2 ||
         field.has_optional_keyword();
}

std::string_view label_name(const gp::FieldDescriptor& field) {
  if (field.is_repeated()) return "repeated";
  if (field.is_required()) return "required";
  return "optional";
}

// A message's name without its file's package: "Outer.Inner" for "pkg.Outer.Inner".
std::string local_name(const gp::Descriptor& message) {
  const std::string& package = message.file()->package();
  const std::string& full = message.full_name();
  if (!package.empty() && full.size() > package.size() && full.starts_with(package) &&
      full[package.size()] == '.') {
    return full.substr(package.size() + 1);
  }
  return full;
}

std::string slashes(std::string dotted) {
  std::replace(dotted.begin(), dotted.end(), '.', '/');
  return dotted;
}

// The messages of a scope as Confluent's model has them: synthetic map entries do not exist.
template <typename Count, typename At>
std::vector<const gp::Descriptor*> messages_of(Count count, At at) {
  std::vector<const gp::Descriptor*> out;
  for (int i = 0; i < count; ++i) {
    const gp::Descriptor* message = at(i);
    if (!message->options().map_entry()) out.push_back(message);
  }
  return out;
}

template <typename Count, typename At>
std::vector<const gp::EnumDescriptor*> enums_of(Count count, At at) {
  std::vector<const gp::EnumDescriptor*> out;
  for (int i = 0; i < count; ++i) out.push_back(at(i));
  return out;
}

using NameIndex = std::unordered_map<std::string_view, std::size_t>;
constexpr std::size_t kLinearSearchLimit = 16;

class Differ {
 public:
  Differ(const gp::FileDescriptor& original, const gp::FileDescriptor& update)
      : original_file_(original), update_file_(update) {}

  std::vector<Difference> run() {
    if (original_file_.package() != update_file_.package()) {
      add("PACKAGE_CHANGED", "#/", {}, {},
          fmt::format("the package changed from '{}' to '{}': every message's full name changes, "
                      "so readers and tools that resolve types by name no longer find them",
                      original_file_.package(), update_file_.package()),
          "keep the package; put the new messages in a new file if they need another package");
    }
    diff_scope(
        messages_of(original_file_.message_type_count(),
                    [&](int i) { return original_file_.message_type(i); }),
        enums_of(original_file_.enum_type_count(),
                 [&](int i) { return original_file_.enum_type(i); }),
        messages_of(update_file_.message_type_count(),
                    [&](int i) { return update_file_.message_type(i); }),
        enums_of(update_file_.enum_type_count(), [&](int i) { return update_file_.enum_type(i); }),
        "#/", {}, {});
    return std::move(out_);
  }

 private:
  void add(std::string_view type, std::string path, Site original, Site update,
           std::string message = {}, std::string hint = {}) {
    Difference difference;
    difference.type = std::string(type);
    difference.path = std::move(path);
    difference.original_position = original.position();
    difference.update_position = update.position();
    difference.message = std::move(message);
    difference.hint = std::move(hint);
    out_.push_back(std::move(difference));
  }

  // Messages and enums of one scope (the file, or a message's nested types), matched by name.
  // `prefix` ends with '/'; the positions are the scope's own, for what is absent on a side.
  void diff_scope(const std::vector<const gp::Descriptor*>& original_messages,
                  const std::vector<const gp::EnumDescriptor*>& original_enums,
                  const std::vector<const gp::Descriptor*>& update_messages,
                  const std::vector<const gp::EnumDescriptor*>& update_enums,
                  const std::string& prefix, Site original_scope, Site update_scope) {
    // Scopes with many types get an index by name: files with hundreds of messages made the
    // linear search quadratic. Small scopes, the common case, search the list.
    auto by_name = [](const auto& list) {
      NameIndex index;
      if (list.size() <= kLinearSearchLimit) return index;
      index.reserve(list.size());
      for (std::size_t i = 0; i < list.size(); ++i) index.emplace(list[i]->name(), i);
      return index;
    };
    auto index_of = [](const auto& list, const NameIndex& index,
                       const std::string& name) -> std::optional<std::size_t> {
      if (list.size() > kLinearSearchLimit) {
        const auto found = index.find(name);
        if (found == index.end()) return std::nullopt;
        return found->second;
      }
      for (std::size_t i = 0; i < list.size(); ++i) {
        if (list[i]->name() == name) return i;
      }
      return std::nullopt;
    };
    const NameIndex original_message_index = by_name(original_messages);
    const NameIndex update_message_index = by_name(update_messages);
    const NameIndex original_enum_index = by_name(original_enums);
    const NameIndex update_enum_index = by_name(update_enums);
    for (std::size_t i = 0; i < original_messages.size(); ++i) {
      const gp::Descriptor* original = original_messages[i];
      const std::string path = prefix + original->name();
      const auto found = index_of(update_messages, update_message_index, original->name());
      if (!found) {
        add("MESSAGE_REMOVED", path, Site::of(original), update_scope,
            fmt::format("message '{}' was removed: fields whose type it is can no longer be read",
                        original->full_name()),
            "keep the message (deprecate it instead) while any schema in use refers to it");
        continue;
      }
      const gp::Descriptor* update = update_messages[*found];
      if (*found != i) add("MESSAGE_MOVED", path, Site::of(original), Site::of(update));
      diff_message(*original, *update, path + "/");
    }
    for (const gp::Descriptor* update : update_messages) {
      if (!index_of(original_messages, original_message_index, update->name())) {
        add("MESSAGE_ADDED", prefix + update->name(), original_scope, Site::of(update));
      }
    }
    for (const gp::EnumDescriptor* original : original_enums) {
      const auto found = index_of(update_enums, update_enum_index, original->name());
      if (!found) {
        add("ENUM_REMOVED", prefix + original->name(), Site::of(original), update_scope);
      } else {
        diff_enum(*original, *update_enums[*found], prefix + original->name() + "/");
      }
    }
    for (const gp::EnumDescriptor* update : update_enums) {
      if (!index_of(original_enums, original_enum_index, update->name())) {
        add("ENUM_ADDED", prefix + update->name(), original_scope, Site::of(update));
      }
    }
  }

  void diff_enum(const gp::EnumDescriptor& original, const gp::EnumDescriptor& update,
                 const std::string& prefix) {
    // By number; with allow_alias the first name of a number stands for it.
    for (int i = 0; i < original.value_count(); ++i) {
      const gp::EnumValueDescriptor* value = original.value(i);
      if (original.FindValueByNumber(value->number()) != value) continue;
      const gp::EnumValueDescriptor* other = update.FindValueByNumber(value->number());
      const std::string path = prefix + std::to_string(value->number());
      if (other == nullptr) {
        add("ENUM_CONST_REMOVED", path, Site::of(value), Site::of(&update));
      } else if (other->name() != value->name()) {
        add("ENUM_CONST_CHANGED", path, Site::of(value), Site::of(other));
      }
    }
    for (int i = 0; i < update.value_count(); ++i) {
      const gp::EnumValueDescriptor* value = update.value(i);
      if (update.FindValueByNumber(value->number()) != value) continue;
      if (original.FindValueByNumber(value->number()) == nullptr) {
        add("ENUM_CONST_ADDED", prefix + std::to_string(value->number()), Site::of(&original),
            Site::of(value));
      }
    }
  }

  static std::string field_path(const std::string& prefix, const gp::FieldDescriptor& field) {
    const gp::OneofDescriptor* oneof = oneof_of(field);
    return oneof ? fmt::format("{}{}/{}", prefix, oneof->name(), field.number())
                 : fmt::format("{}{}", prefix, field.number());
  }

  void diff_message(const gp::Descriptor& original, const gp::Descriptor& update,
                    const std::string& prefix) {
    diff_scope(
        messages_of(original.nested_type_count(), [&](int i) { return original.nested_type(i); }),
        enums_of(original.enum_type_count(), [&](int i) { return original.enum_type(i); }),
        messages_of(update.nested_type_count(), [&](int i) { return update.nested_type(i); }),
        enums_of(update.enum_type_count(), [&](int i) { return update.enum_type(i); }), prefix,
        Site::of(&original), Site::of(&update));
    diff_fields(original, update, prefix);
    diff_oneofs(original, update, prefix);
  }

  void diff_fields(const gp::Descriptor& original, const gp::Descriptor& update,
                   const std::string& prefix) {
    for (int i = 0; i < original.field_count(); ++i) {
      const gp::FieldDescriptor& field = *original.field(i);
      const gp::FieldDescriptor* other = update.FindFieldByNumber(field.number());
      if (other != nullptr) {
        diff_field(field, *other, prefix);
        continue;
      }
      const std::string path = field_path(prefix, field);
      if (const gp::OneofDescriptor* oneof = oneof_of(field)) {
        if (oneof_vanished(*oneof, update)) continue;  // reported as ONEOF_REMOVED alone
        add("ONEOF_FIELD_REMOVED", path, Site::of(&field), Site::of(&update),
            fmt::format("field {} '{}' was removed from oneof '{}': a writer that sets it sends "
                        "a value the reader cannot place, so the reader sees none of the oneof "
                        "set",
                        field.number(), field.name(), oneof->name()),
            fmt::format("keep field {} in the oneof (mark it deprecated) until no writer sets it",
                        field.number()));
      } else if (field.is_required()) {
        add("REQUIRED_FIELD_REMOVED", path, Site::of(&field), Site::of(&update),
            fmt::format("required field {} '{}' was removed: readers of the other version still "
                        "require it and reject messages without it",
                        field.number(), field.name()),
            "keep the field; required fields can never be removed safely (proto2)");
      } else {
        add("FIELD_REMOVED", path, Site::of(&field), Site::of(&update));
      }
    }
    for (int i = 0; i < update.field_count(); ++i) {
      const gp::FieldDescriptor& field = *update.field(i);
      if (original.FindFieldByNumber(field.number()) != nullptr) continue;
      const std::string path = field_path(prefix, field);
      if (oneof_of(field) != nullptr) {
        add("ONEOF_FIELD_ADDED", path, Site::of(&original), Site::of(&field));
      } else if (field.is_required()) {
        add("REQUIRED_FIELD_ADDED", path, Site::of(&original), Site::of(&field),
            fmt::format("required field {} '{}' was added: messages written before it lack it, "
                        "so readers using this version reject them",
                        field.number(), field.name()),
            fmt::format("make field {} '{}' optional (proto2 `optional`, or proto3 without a "
                        "label); required fields can never be added safely",
                        field.number(), field.name()));
      } else {
        add("FIELD_ADDED", path, Site::of(&original), Site::of(&field));
      }
    }
  }

  // A oneof gone by name whose members all disappeared too: Confluent reports the oneof only.
  static bool oneof_vanished(const gp::OneofDescriptor& oneof, const gp::Descriptor& update) {
    if (update.FindOneofByName(oneof.name()) != nullptr) return false;
    for (int i = 0; i < oneof.field_count(); ++i) {
      if (update.FindFieldByNumber(oneof.field(i)->number()) != nullptr) return false;
    }
    return true;
  }

  void diff_field(const gp::FieldDescriptor& original, const gp::FieldDescriptor& update,
                  const std::string& prefix) {
    const std::string path = field_path(prefix, update);
    const Site original_at = Site::of(&original);
    const Site update_at = Site::of(&update);
    if (oneof_of(original) != nullptr && oneof_of(update) == nullptr) {
      add("ONEOF_FIELD_MOVED_TO_TOP_LEVEL", path, original_at, update_at);
    }
    if (original.name() != update.name()) {
      add("FIELD_NAME_CHANGED", path, original_at, update_at);
    }
    diff_types(original, update, path, original_at, update_at);
  }

  // §4.2: kind, then scalar group and labels, message names, or map key and value.
  void diff_types(const gp::FieldDescriptor& original, const gp::FieldDescriptor& update,
                  const std::string& path, Site original_at, Site update_at) {
    const FieldKind kind = kind_of(original);
    if (kind != kind_of(update)) {
      add("FIELD_KIND_CHANGED", path, original_at, update_at,
          fmt::format("field {} changed from {} to {}: the two are encoded differently, so the "
                      "reader cannot decode what the writer sent",
                      update.number(), describe(original), describe(update)),
          retag_hint(update));
      return;
    }
    switch (kind) {
      case FieldKind::kScalar: diff_scalars(original, update, path, original_at, update_at); return;
      case FieldKind::kMessage:
        diff_message_types(original, update, path, original_at, update_at);
        return;
      case FieldKind::kMap: {
        const gp::Descriptor& original_entry = *original.message_type();
        const gp::Descriptor& update_entry = *update.message_type();
        diff_types(*original_entry.map_key(), *update_entry.map_key(), path, original_at,
                   update_at);
        diff_types(*original_entry.map_value(), *update_entry.map_value(), path, original_at,
                   update_at);
        return;
      }
    }
  }

  void diff_scalars(const gp::FieldDescriptor& original, const gp::FieldDescriptor& update,
                    const std::string& path, Site original_at, Site update_at) {
    const ScalarGroup group = scalar_group(original);
    if (group != scalar_group(update)) {
      add("FIELD_SCALAR_KIND_CHANGED", path, original_at, update_at,
          fmt::format("field {} changed from {} to {}: the two are encoded differently on the "
                      "wire, so the reader decodes garbage or fails on what the writer sent",
                      update.number(), describe(original), describe(update)),
          retag_hint(update));
      return;
    }
    if (!has_explicit_label(original) || !has_explicit_label(update)) return;
    if (label_name(original) == label_name(update)) return;
    if (group == ScalarGroup::kStringOrBytes) {
      add("FIELD_STRING_OR_BYTES_LABEL_CHANGED", path, original_at, update_at);
      return;
    }
    add("FIELD_NUMERIC_LABEL_CHANGED", path, original_at, update_at,
        fmt::format("field {} changed from {} to {}: a packed repeated number and a single number "
                    "are encoded differently, so values are lost or misread",
                    update.number(), describe(original), describe(update)),
        retag_hint(update));
  }

  void diff_message_types(const gp::FieldDescriptor& original, const gp::FieldDescriptor& update,
                          const std::string& path, Site original_at, Site update_at) {
    const gp::Descriptor& original_type = *original.message_type();
    const gp::Descriptor& update_type = *update.message_type();
    const std::string name = local_name(original_type);
    if (name != local_name(update_type)) {
      add_named_type_changed(original, update, path, original_at, update_at);
      return;
    }
    // Types of this file are diffed where they are declared; an imported type is diffed here,
    // once per pair (recursive types refer back to themselves).
    const bool imported =
        original_type.file() != &original_file_ || update_type.file() != &update_file_;
    if (!imported || !visited_.emplace(&original_type, &update_type).second) return;
    const std::size_t before = out_.size();
    diff_message(original_type, update_type, "#/" + slashes(name) + "/");
    const bool broke = std::any_of(out_.begin() + static_cast<std::ptrdiff_t>(before), out_.end(),
                                   [](const Difference& d) { return !is_compatible_type(d.type); });
    if (broke) add_named_type_changed(original, update, path, original_at, update_at);
  }

  void add_named_type_changed(const gp::FieldDescriptor& original,
                              const gp::FieldDescriptor& update, const std::string& path,
                              Site original_at, Site update_at) {
    const bool same_name =
        local_name(*original.message_type()) == local_name(*update.message_type());
    add("FIELD_NAMED_TYPE_CHANGED", path, original_at, update_at,
        same_name ? fmt::format("field {} '{}' has type '{}' whose definition changed incompatibly "
                                "(see the differences reported for it)",
                                update.number(), update.name(), update.message_type()->full_name())
                  : fmt::format("field {} changed from {} to {}: a different message type cannot "
                                "decode what the writer sent",
                                update.number(), describe(original), describe(update)),
        same_name ? "make the change to the imported message compatible, or give the field a new "
                    "number with the new type"
                  : retag_hint(update));
  }

  // Real oneofs only: libprotoc's synthetic ones (proto3 `optional`) come after them.
  void diff_oneofs(const gp::Descriptor& original, const gp::Descriptor& update,
                   const std::string& prefix) {
    for (int i = 0; i < original.real_oneof_decl_count(); ++i) {
      const gp::OneofDescriptor* oneof = original.oneof_decl(i);
      if (update.FindOneofByName(oneof->name()) == nullptr) {
        add("ONEOF_REMOVED", prefix + oneof->name(), Site::of(oneof), Site::of(&update));
      }
    }
    for (int i = 0; i < update.real_oneof_decl_count(); ++i) {
      const gp::OneofDescriptor* oneof = update.oneof_decl(i);
      const std::string path = prefix + oneof->name();
      if (original.FindOneofByName(oneof->name()) == nullptr) {
        add("ONEOF_ADDED", path, Site::of(&original), Site::of(oneof));
      }
      // Group the members that existed before by where they came from: their old oneof, or a
      // group of their own for a former top-level field. Two groups: fields that could be set
      // together are now exclusive.
      std::set<std::string> origins;
      int former_top_level = 0;
      for (int k = 0; k < oneof->field_count(); ++k) {
        const gp::FieldDescriptor* before = original.FindFieldByNumber(oneof->field(k)->number());
        if (before == nullptr) continue;
        if (const gp::OneofDescriptor* old_oneof = oneof_of(*before)) {
          origins.insert("oneof " + old_oneof->name());
        } else {
          origins.insert("field " + std::to_string(before->number()));
          ++former_top_level;
        }
      }
      if (origins.size() <= 1) continue;
      const std::string type =
          former_top_level > 1 ? "MULTIPLE_FIELDS_MOVED_TO_ONEOF" : "FIELD_MOVED_TO_EXISTING_ONEOF";
      add(type, path, Site::of(&original), Site::of(oneof),
          fmt::format("oneof '{}' now holds fields that could be set together before: a message "
                      "that sets more than one of them is read with only the last one set",
                      oneof->name()),
          "leave existing fields where they are; put only new fields in the oneof");
    }
  }

  static std::string describe(const gp::FieldDescriptor& field) {
    const bool labelled = has_explicit_label(field) && kind_of(field) != FieldKind::kMap;
    return fmt::format("'{}{} {}'", labelled ? std::string(label_name(field)) + " " : "",
                       type_name(field), field.name());
  }

  static std::string retag_hint(const gp::FieldDescriptor& field) {
    return fmt::format(
        "add a new field with a new number for the new type, and reserve {} "
        "(`reserved {};`) so it is never reused",
        field.number(), field.number());
  }

  const gp::FileDescriptor& original_file_;
  const gp::FileDescriptor& update_file_;
  std::set<std::pair<const gp::Descriptor*, const gp::Descriptor*>> visited_;
  std::vector<Difference> out_;
};

}  // namespace

std::vector<Difference> diff(const google::protobuf::FileDescriptor& original,
                             const google::protobuf::FileDescriptor& update) {
  return Differ(original, update).run();
}

bool is_compatible_type(std::string_view type) {
  return std::find(kCompatibleTypes.begin(), kCompatibleTypes.end(), type) !=
         kCompatibleTypes.end();
}

bool compatible(const std::vector<Difference>& differences) {
  return std::all_of(differences.begin(), differences.end(),
                     [](const Difference& d) { return is_compatible_type(d.type); });
}

Incompatibilities incompatibilities(const std::vector<Difference>& differences) {
  Incompatibilities out;
  for (const Difference& difference : differences) {
    if (is_compatible_type(difference.type)) continue;
    Incompatibility problem;
    problem.type = difference.type;
    // The diff ran with original = writer, update = reader; Confluent's path names the same
    // place in both.
    problem.reader_path = difference.path;
    problem.writer_path = difference.path;
    problem.reader_position = difference.update_position;
    problem.writer_position = difference.original_position;
    problem.message = difference.message;
    problem.hint = difference.hint;
    out.push_back(std::move(problem));
  }
  return out;
}

}  // namespace sg::protobuf

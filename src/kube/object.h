// Kubernetes objects as they are read from manifest files: every document of a multi-document
// YAML or JSON stream, the items of `kind: List` (and `FooList`) as `kubectl get -o yaml`
// prints them, each with its file, document and line so findings can point at it. Documents
// that are not objects (no `kind`, or not a mapping) are passed over; unknown kinds and CRDs are
// objects like any other, which checks simply do not match.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/yaml_dom.h"

namespace mtr::kube {

struct Object {
  std::string api_version;  // "apps/v1"
  std::string kind;         // "Deployment"
  std::string name;         // metadata.name ("" when absent, e.g. generateName only)
  std::string namespace_;   // metadata.namespace as written ("" when absent)
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;
  const core::YamlNode* node = nullptr;  // the object's mapping
  // JSON path of the object inside its document: "" for a document, "items[3]" in a List.
  std::string path_prefix;
  std::string file;          // origin of the stream
  std::size_t document = 0;  // 0-based document index in the file
  core::YamlMark mark;       // where the object starts

  // The API group: "" for the core group ("v1"), "apps" for "apps/v1".
  std::string_view group() const;
  // "Deployment default/web", "ClusterRole admin", "Pod <unnamed>".
  std::string display() const;
  // A JSON path below the object, prefixed with path_prefix: at("spec.replicas").
  std::string at(std::string_view path) const;
};

// One file's worth of objects. Objects point into `documents`: a Manifest moves but does not
// copy.
struct Manifest {
  std::string origin;
  std::vector<core::YamlDocument> documents;
  std::vector<Object> objects;

  Manifest() = default;
  Manifest(Manifest&&) = default;
  Manifest& operator=(Manifest&&) = default;
  Manifest(const Manifest&) = delete;
  Manifest& operator=(const Manifest&) = delete;
};

// A mapping of scalars (labels, annotations) as strings; non-scalar values read as "".
std::map<std::string, std::string> read_string_map(const core::YamlNode* node);

// Parses a stream and collects its objects. Errors name origin:line:column.
core::Result<Manifest> load_manifest(std::string_view text, std::string origin,
                                     const core::YamlLimits& limits = {});

}  // namespace mtr::kube

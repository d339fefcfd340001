// Writing the register as open data, one organisation at a time (so that a register of any
// size streams out): ESSGLOBAL CSV (the Co-operative World Map layout, terms as ESSGLOBAL
// URIs), GeoJSON (every field of the record and the relationships the organisation is the
// subject of: `solidum import --format geojson` of it gives the same register back),
// Murmurations organisation profiles (a JSON array). Pure.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "registry/networks.h"
#include "registry/organisation.h"

namespace solidum::registry {

class Exporter {
 public:
  virtual ~Exporter() = default;
  // Each appends to `out`; call Begin once, Add per organisation, End once. `relationships`
  // are those `org` is the subject of (formats that cannot carry them leave them out).
  virtual void Begin(std::string& out) = 0;
  virtual void Add(const Organisation& org, const std::vector<ExportRelationship>& relationships,
                   std::string& out) = 0;
  virtual void End(std::string& out) = 0;
};

const std::vector<std::string>& ExportFormats();  // essglobal-csv, geojson, murmurations
// nullptr for an unknown format.
std::unique_ptr<Exporter> MakeExporter(std::string_view format);

}  // namespace solidum::registry

// The library's resources in the store (issue 8): created, changed and moved through the
// workflow (resource.h) with every step in the resource's history (who, when, what
// changed), translations linked in groups, the organisations a resource is about, and
// the themes (the field's five and a network's own).
//
// Who may call what is the HTTP layer's to decide (the publisher's editors and admins);
// `reviewer` says the caller is an admin of the publisher. Every change takes the version
// the caller read (If-Match) and fails with 412 version_mismatch when another came first.
// Thread-safe: each call takes its own connection.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "library/resource.h"
#include "library/search.h"
#include "store/store.h"

namespace solidum::library {

inline constexpr std::size_t kCustomThemesMax = 200;
inline constexpr int kPageMax = 200;

// A theme: its code and its name in each language it has one in.
struct Theme {
  std::string code;
  std::map<std::string, std::string> labels;  // "en" -> "Digital commons"
  bool standard = false;                      // one of kStandardThemes (labelled by the web app)
};

// One step of a resource's history.
struct Revision {
  std::int64_t n = 0;
  std::string at;
  std::optional<std::int64_t> user_id;
  std::string user;     // the user's email, for the publisher's staff
  std::string action;   // "created", "changed", "moved"
  Stage stage = Stage::kDraft;  // after the step
  std::string note;
  std::string changes;  // JSON object (resource.h Diff)
};

struct ResourcePage {
  std::vector<Resource> items;  // without body (lists do not need it)
  std::optional<std::int64_t> next_after;
};

// Published resources by id, in the order given, as lists show them (no body; their
// published translations); ids not published (any more) are left out.
Result<std::vector<Resource>> LoadPublished(store::Conn& conn, const std::vector<std::int64_t>& ids);

class Library {
 public:
  Library(store::Store& store, const Clock& clock) : store_(store), clock_(clock), search_(store) {}

  // A new draft by `publisher`. Errors: validation naming the field (/themes/1
  // unknown_theme, /organisations/0 unknown_organisation, /translation_of
  // unknown_resource, /language translation_exists: the group has this language already).
  Result<Resource> Create(std::int64_t publisher, const ResourceChanges& fields, std::int64_t user);
  // The publisher's resource in any stage; kNotFound when it is not theirs.
  Result<Resource> Get(std::int64_t publisher, std::int64_t id);
  // A published resource, for anyone; its translations are the published ones only.
  Result<Resource> GetPublished(std::int64_t id);
  Result<Resource> Change(std::int64_t publisher, std::int64_t id, std::int64_t version, const ResourceChanges& changes,
                          std::int64_t user, bool reviewer);
  Result<Resource> Move(std::int64_t publisher, std::int64_t id, std::int64_t version, Stage to, const std::string& note,
                        std::int64_t user, bool reviewer);
  // Oldest first.
  Result<std::vector<Revision>> History(std::int64_t publisher, std::int64_t id);
  // The publisher's resources, newest first (by id), optionally in one stage.
  Result<ResourcePage> OfPublisher(std::int64_t publisher, std::optional<Stage> stage, int limit, std::optional<std::int64_t> before);
  // Published resources about an organisation, newest first.
  Result<std::vector<Resource>> About(std::int64_t organisation);

  // Published resources: text, filters, facets, a page (search.h).
  Result<SearchResult> Search(const SearchQuery& query) { return search_.Search(query); }

  Result<std::vector<Theme>> Themes();
  // A network's own theme. Errors: /code invalid or taken (theme_exists), /labels
  // (at least one, each 1-100 characters, languages as ISO 639-1).
  Result<Theme> AddTheme(const Theme& theme, std::int64_t user);

 private:
  store::Store& store_;
  const Clock& clock_;
  LibrarySearch search_;
};

}  // namespace solidum::library

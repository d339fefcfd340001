#include "governance/tally/blt.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cerrno>
#include <unordered_set>

#include "common/text.h"

namespace solidum::tally {
namespace {

Error LineError(std::size_t line, std::string code, std::string message) {
  Error e = Error::Invalid("line " + std::to_string(line), std::move(code), message);
  e.code = "invalid_blt";
  e.message = "line " + std::to_string(line) + ": " + message;
  return e;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// Splits text into lines, numbering from 1, with CR LF and LF both accepted.
class Lines {
 public:
  explicit Lines(std::string_view text) : text_(text) {}
  bool Next(std::string_view& line) {
    if (pos_ >= text_.size()) return false;
    std::size_t end = text_.find('\n', pos_);
    if (end == std::string_view::npos) end = text_.size();
    line = text_.substr(pos_, end - pos_);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos_ = end + 1;
    ++number_;
    return true;
  }
  std::size_t number() const { return number_; }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t number_ = 0;
};

// Reads whitespace-separated tokens of one line.
class Tokens {
 public:
  explicit Tokens(std::string_view line) : s_(line) {}
  bool Next(std::string_view& token) {
    while (i_ < s_.size() && IsSpace(s_[i_])) ++i_;
    if (i_ >= s_.size()) return false;
    std::size_t start = i_;
    while (i_ < s_.size() && !IsSpace(s_[i_])) ++i_;
    token = s_.substr(start, i_ - start);
    return true;
  }

 private:
  std::string_view s_;
  std::size_t i_ = 0;
};

bool ParseNumber(std::string_view token, std::int64_t& out) {
  auto [p, ec] = std::from_chars(token.data(), token.data() + token.size(), out);
  return ec == std::errc() && p == token.data() + token.size();
}

bool IsBlankOrComment(std::string_view line) {
  std::string_view t = text::Trim(line);
  return t.empty() || t.front() == '#';
}

// The quoted strings of a line, in order; false if a quote is left open or text stands
// outside quotes.
bool QuotedStrings(std::string_view line, std::vector<std::string_view>& out) {
  out.clear();
  std::size_t i = 0;
  while (true) {
    while (i < line.size() && IsSpace(line[i])) ++i;
    if (i >= line.size()) return true;
    if (line[i] != '"') return false;
    std::size_t end = line.find('"', i + 1);
    if (end == std::string_view::npos) return false;
    out.push_back(line.substr(i + 1, end - i - 1));
    i = end + 1;
  }
}

}  // namespace

Result<BltFile> ParseBlt(std::string_view text) {
  if (text.size() > kBltBytesMax) {
    return LineError(1, "too_large", "the file is larger than the limit of " + std::to_string(kBltBytesMax) + " bytes");
  }
  BltFile out;
  Election& e = out.election;
  Lines lines(text);
  std::string_view line, token;

  // Header: candidates and seats, after any comments.
  bool have_header = false;
  while (lines.Next(line)) {
    if (IsBlankOrComment(line)) continue;
    Tokens t(line);
    std::int64_t c = 0, s = 0;
    if (!t.Next(token) || !ParseNumber(token, c) || !t.Next(token) || !ParseNumber(token, s) || t.Next(token)) {
      return LineError(lines.number(), "bad_header", "expected the number of candidates and the number of seats, e.g. \"9 4\"");
    }
    if (c < 1 || c > static_cast<std::int64_t>(kCandidatesMax)) {
      return LineError(lines.number(), "bad_candidate_count",
                       "the number of candidates must be between 1 and " + std::to_string(kCandidatesMax));
    }
    if (s < 1 || s > c) {
      return LineError(lines.number(), "bad_seat_count", "the number of seats must be between 1 and the number of candidates (" + std::to_string(c) + ")");
    }
    e.seats = static_cast<int>(s);
    e.candidates.resize(static_cast<std::size_t>(c));
    have_header = true;
    break;
  }
  if (!have_header) return LineError(lines.number() + 1, "missing_header", "the file has no header line (candidates and seats)");
  const auto candidate_count = static_cast<std::int64_t>(e.candidates.size());

  // Ballots, possibly after one line of withdrawn candidates. Room for them up front: a
  // ballot per line, a preference per two bytes at most.
  const auto line_count = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
  e.weights.reserve(line_count);
  e.offsets.reserve(line_count + 1);
  e.prefs.reserve(text.size() / 2);
  std::vector<std::uint32_t> seen(e.candidates.size(), 0);
  std::uint32_t ballot_stamp = 0;
  std::vector<CandidateIndex> ranking;
  std::int64_t papers = 0;
  std::size_t unclosed = 0, first_unclosed = 0;
  bool ended = false, first_body_line = true;
  while (lines.Next(line)) {
    Tokens t(line);
    if (!t.Next(token)) continue;  // blank line
    const std::size_t n = lines.number();
    if (token.front() == '#') {
      return LineError(n, "comment_in_body", "comments are allowed only before the header");
    }
    if (first_body_line && token.front() == '-') {
      first_body_line = false;
      do {
        std::int64_t w = 0;
        if (!ParseNumber(token, w) || w >= 0 || -w > candidate_count) {
          return LineError(n, "bad_withdrawn", "withdrawn candidates are written as negative candidate numbers, from -1 to -" + std::to_string(candidate_count));
        }
        e.candidates[static_cast<std::size_t>(-w - 1)].withdrawn = true;
      } while (t.Next(token));
      continue;
    }
    first_body_line = false;
    if (token.front() == '"') {
      return LineError(n, "missing_end_of_ballots", "a candidate name where a ballot was expected: the ballots must end with a line holding only 0");
    }
    if (token.front() == '(') {  // ballot id
      if (token.back() != ')' && !(t.Next(token) && token.back() == ')')) {
        return LineError(n, "bad_ballot_id", "a ballot id opened with ( is not closed with )");
      }
      if (!t.Next(token)) return LineError(n, "missing_weight", "a ballot id with no ballot after it");
    }
    std::int64_t weight = 0;
    if (!ParseNumber(token, weight)) {
      return LineError(n, "bad_weight", "the ballot weight \"" + std::string(token.substr(0, 20)) + "\" is not a whole number");
    }
    if (weight == 0) {
      if (t.Next(token)) return LineError(n, "bad_weight", "a ballot weight must be at least 1 (a lone 0 ends the ballots)");
      ended = true;
      break;
    }
    if (weight < 0) return LineError(n, "bad_weight", "a ballot weight must be at least 1");
    ++ballot_stamp;
    ranking.clear();
    bool closed = false;
    while (t.Next(token)) {
      if (closed) return LineError(n, "text_after_ballot", "text after the 0 that closes the ballot");
      std::int64_t c = 0;
      if (!ParseNumber(token, c)) {
        if (token.find('=') != std::string_view::npos) {
          return LineError(n, "equal_preferences", "equal preferences (\"=\") are not supported: rank the candidates one after another");
        }
        return LineError(n, "bad_preference", "\"" + std::string(token.substr(0, 20)) + "\" is not a candidate number");
      }
      if (c == 0) {
        closed = true;
        continue;
      }
      if (c < 0 || c > candidate_count) {
        return LineError(n, "candidate_out_of_range", "candidate " + std::to_string(c) + " is out of range: the election has " + std::to_string(candidate_count) + " candidates");
      }
      const auto idx = static_cast<std::size_t>(c - 1);
      if (seen[idx] == ballot_stamp) {
        return LineError(n, "repeated_preference", "candidate " + std::to_string(c) + " is ranked twice on one ballot");
      }
      seen[idx] = ballot_stamp;
      if (!e.candidates[idx].withdrawn) ranking.push_back(static_cast<CandidateIndex>(idx));
    }
    if (!closed && unclosed++ == 0) first_unclosed = n;
    if (weight > kPapersMax - papers) {
      return LineError(n, "too_many_papers", "the ballots add up to more than " + std::to_string(kPapersMax) + " papers");
    }
    papers += weight;
    if (ranking.empty()) {
      out.empty_papers += weight;
      continue;
    }
    if (e.prefs.size() + ranking.size() > 0xFFFFFFFFu) {
      return LineError(n, "too_many_preferences", "the file holds more preferences than one count can take");
    }
    e.AddBallot(ranking, weight);
  }
  if (!ended) {
    return LineError(lines.number() + 1, "missing_end_of_ballots", "the file ends before the line holding only 0 that closes the ballots");
  }
  if (unclosed > 0) {
    out.warnings.push_back({first_unclosed, std::to_string(unclosed) + " ballot line(s) lack their closing 0 (first at line " +
                                                std::to_string(first_unclosed) + "); each was read to the end of its line"});
  }
  if (out.empty_papers > 0) {
    out.warnings.push_back({0, std::to_string(out.empty_papers) + " paper(s) rank no standing candidate and are not counted"});
  }

  // Names, one per line, then the title.
  std::vector<std::string_view> quoted;
  std::unordered_set<std::string_view> names;
  std::size_t named = 0;
  bool have_title = false;
  while (lines.Next(line)) {
    if (text::Trim(line).empty()) continue;
    const std::size_t n = lines.number();
    if (!QuotedStrings(line, quoted) || quoted.empty()) {
      if (named < e.candidates.size()) {
        return LineError(n, "bad_name", "expected the quoted name of candidate " + std::to_string(named + 1) + " of " + std::to_string(e.candidates.size()));
      }
      return LineError(n, "text_after_title", "unexpected text after the title");
    }
    for (std::string_view q : quoted) {
      if (!text::IsValidUtf8(q) || text::HasControlChars(q)) return LineError(n, "bad_name", "a name that is not valid UTF-8 text");
      if (q.size() > kCandidateNameBytesMax) return LineError(n, "bad_name", "a name longer than " + std::to_string(kCandidateNameBytesMax) + " bytes");
    }
    if (named < e.candidates.size()) {
      if (quoted.size() > 2) return LineError(n, "bad_name", "a candidate line holds a name and at most an affiliation");
      if (text::Trim(quoted[0]).empty()) return LineError(n, "bad_name", "candidate " + std::to_string(named + 1) + " has an empty name");
      if (!names.insert(quoted[0]).second) return LineError(n, "duplicate_name", "two candidates are named \"" + std::string(quoted[0]) + "\"");
      Candidate& c = e.candidates[named++];
      c.name = std::string(quoted[0]);
      if (quoted.size() == 2) c.affiliation = std::string(quoted[1]);
      continue;
    }
    if (have_title || quoted.size() != 1) {
      return LineError(n, "text_after_title", "unexpected text after the title (the header announces " + std::to_string(e.candidates.size()) + " candidates)");
    }
    e.title = std::string(quoted[0]);
    have_title = true;
  }
  if (named < e.candidates.size()) {
    return LineError(lines.number() + 1, "missing_names", "the file names " + std::to_string(named) + " of its " + std::to_string(e.candidates.size()) + " candidates");
  }
  return out;
}

Result<BltFile> ReadBltFile(const std::string& path) {
  const std::string limit = std::to_string(kBltBytesMax / (1024 * 1024)) + " MiB";
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error::Invalid("file", "unreadable", "cannot read " + path);
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    return Error::Invalid("file", "unreadable", "cannot read " + path);
  }
  if (S_ISREG(st.st_mode)) {
    const auto size = static_cast<std::uint64_t>(st.st_size);
    if (size > kBltBytesMax) {
      ::close(fd);
      return Error::Invalid("file", "too_large", path + " is " + std::to_string(size / (1024 * 1024)) + " MiB; a BLT file may hold at most " + limit);
    }
    if (size == 0) {
      ::close(fd);
      return ParseBlt("");
    }
    // Mapped, not copied: a large file is parsed straight from the page cache.
    void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    ::close(fd);
    if (p == MAP_FAILED) return Error::Invalid("file", "unreadable", "cannot map " + path);
    auto result = ParseBlt(std::string_view(static_cast<const char*>(p), size));
    ::munmap(p, size);
    return result;
  }
  // Pipes and devices have no size up front: read up to the limit.
  std::string data;
  char buf[1 << 16];
  while (true) {
    const ssize_t got = ::read(fd, buf, sizeof buf);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      ::close(fd);
      return Error::Invalid("file", "unreadable", "error while reading " + path);
    }
    if (got == 0) break;
    if (data.size() + static_cast<std::size_t>(got) > kBltBytesMax) {
      ::close(fd);
      return Error::Invalid("file", "too_large", path + " holds more than the " + limit + " a BLT file may hold");
    }
    data.append(buf, static_cast<std::size_t>(got));
  }
  ::close(fd);
  return ParseBlt(data);
}

std::string WriteBlt(const Election& e) {
  std::string out;
  out.reserve(e.prefs.size() * 3 + e.ballot_count() * 6 + 256);
  char num[24];
  auto put = [&](std::int64_t v) {
    auto [p, ec] = std::to_chars(num, num + sizeof num, v);
    out.append(num, p);
  };
  put(static_cast<std::int64_t>(e.candidates.size()));
  out += ' ';
  put(e.seats);
  out += '\n';
  bool any_withdrawn = false;
  for (std::size_t i = 0; i < e.candidates.size(); ++i) {
    if (!e.candidates[i].withdrawn) continue;
    if (any_withdrawn) out += ' ';
    put(-static_cast<std::int64_t>(i + 1));
    any_withdrawn = true;
  }
  if (any_withdrawn) out += '\n';
  for (std::size_t b = 0; b < e.ballot_count(); ++b) {
    put(e.weights[b]);
    for (CandidateIndex c : e.ballot(b)) {
      out += ' ';
      put(static_cast<std::int64_t>(c) + 1);
    }
    out += " 0\n";
  }
  out += "0\n";
  for (const Candidate& c : e.candidates) {
    out += '"' + c.name + '"';
    if (!c.affiliation.empty()) out += " \"" + c.affiliation + '"';
    out += '\n';
  }
  out += '"' + e.title + "\"\n";
  return out;
}

}  // namespace solidum::tally

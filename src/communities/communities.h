// Communities of practice in the store (issue 8): groups, their members, threads and
// posts, moderation, mentions and email digests.
//
// Who may do what: the group's moderators are the editors and admins of its organisation,
// which the HTTP layer knows (it passes `moderator`); everything else is checked here.
// Anyone may read an open group; a closed group's threads are for its members and
// moderators. A member who is not blocked posts in a group that is not archived. A hidden
// post keeps its place in its thread; readers see that it was hidden, moderators still
// read it. A blocked member reads but cannot post, nor leave and join again to escape it.
//
// Mentions (@handle) are resolved among the group's members when a post is written and
// kept as user ids; each person mentioned gets one email at once (not the author, not a
// blocked member). Digests: WriteDigests() queues, for every member whose last daily or
// weekly period has ended, one email in their language with the visible posts of their
// groups in that period (nothing when there is nothing new); the (member, period) row it
// records in the same transaction means a crash, a second server or a second run never
// sends a period twice. Emails go through the mail outbox (mail/outbox.h).
// Thread-safe: each call takes its own connection; the digest thread is Start()/Stop().
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "communities/community.h"
#include "store/store.h"

namespace solidum::communities {

inline constexpr int kPageMax = 200;
inline constexpr std::size_t kThreadPostsMax = 2'000;  // a thread longer than this is read in pages of the newest
inline constexpr int kDigestMembersPerRun = 500;        // per transaction

// Who reads: a signed-in user (or nobody) and whether they moderate the group.
struct Viewer {
  std::optional<std::int64_t> user;
  bool moderator = false;
};

// A group as its viewer sees it: the group, and their membership when they have one.
struct CommunityView {
  Community community;
  std::optional<Member> me;
};

struct ThreadPage {
  std::vector<Thread> items;
  std::int64_t total = 0;
};

struct ThreadView {
  Thread thread;
  std::vector<Post> posts;  // in order of writing; hidden ones without their body for non-moderators
};

class Communities {
 public:
  Communities(store::Store& store, const Clock& clock, std::string public_url)
      : store_(store), clock_(clock), public_url_(std::move(public_url)) {}
  ~Communities() { Stop(); }
  Communities(const Communities&) = delete;
  Communities& operator=(const Communities&) = delete;
  // The address links in emails point at; set once the server listens.
  void set_public_url(std::string url);

  // --- Groups. Errors: validation naming the field (community.h), version_mismatch (412).
  Result<Community> Create(std::int64_t organisation, const CommunityChanges& changes, std::int64_t user);
  Result<Community> Change(std::int64_t organisation, std::int64_t id, std::int64_t version, const CommunityChanges& changes);
  // The organisation's groups (its moderators' list).
  Result<std::vector<Community>> OfOrganisation(std::int64_t organisation);
  // Every group that is not archived, most recently active first, open and closed alike
  // (a closed group's name and description are public; its threads are not).
  Result<std::vector<Community>> List(int limit, int offset);
  Result<CommunityView> Get(std::int64_t id, const Viewer& viewer);
  // The organisation a group belongs to (who moderates it).
  Result<std::int64_t> OrganisationOf(std::int64_t id);

  // --- Members. Join: open groups only (closed_group 403), not twice (already_member
  // 409), not when blocked (blocked 403), a handle free in the group (/handle
  // handle_taken 409). Joining first time sets the member's email language to `language`.
  Result<Member> Join(std::int64_t id, std::int64_t user, const std::string& handle, const std::string& language);
  // A moderator adds someone by email (closed groups); /email unknown_user (400).
  Result<Member> Add(std::int64_t organisation, std::int64_t id, const std::string& email, const std::string& handle, std::int64_t by);
  Result<Member> ChangeHandle(std::int64_t id, std::int64_t user, const std::string& handle);
  // Blocked members stay (blocked 403).
  Result<void> Leave(std::int64_t id, std::int64_t user);
  Result<std::vector<Member>> Members(std::int64_t organisation, std::int64_t id);
  Result<Member> Block(std::int64_t organisation, std::int64_t id, std::int64_t user, std::int64_t by, const std::string& reason);
  Result<Member> Unblock(std::int64_t organisation, std::int64_t id, std::int64_t user);

  // --- Threads and posts. Reading a closed group: members and moderators only
  // (members_only 403). Writing: an active member (not_a_member 403, blocked 403), in a
  // group that is not archived (archived 409); a reply's parent is a post of the thread
  // (/parent unknown_post 400).
  Result<ThreadPage> Threads(std::int64_t id, const Viewer& viewer, int limit, int offset);
  Result<ThreadView> StartThread(std::int64_t id, std::int64_t user, const PostInput& input);
  Result<ThreadView> GetThread(std::int64_t id, std::int64_t thread, const Viewer& viewer);
  Result<Post> Reply(std::int64_t id, std::int64_t thread, std::int64_t user, const PostInput& input);
  // The author edits their own post (not_author 403) unless it is hidden (hidden 409).
  Result<Post> Edit(std::int64_t id, std::int64_t post, std::int64_t user, const PostInput& input);
  Result<Post> Hide(std::int64_t organisation, std::int64_t id, std::int64_t post, std::int64_t by, const std::string& reason);
  Result<Post> Unhide(std::int64_t organisation, std::int64_t id, std::int64_t post);

  // --- A member's choices and groups.
  Result<Settings> SettingsOf(std::int64_t user);
  Result<Settings> ChangeSettings(std::int64_t user, const SettingsInput& input);
  Result<std::vector<CommunityView>> OfUser(std::int64_t user);

  // --- Digests: see above; answers how many emails it queued.
  Result<std::int64_t> WriteDigests();
  // A thread that calls WriteDigests every `poll_ms` until Stop().
  void Start(int poll_ms);
  void Stop();

 private:
  std::string Link(const std::string& path) const;

  store::Store& store_;
  const Clock& clock_;
  mutable std::mutex url_mutex_;
  std::string public_url_;
  std::mutex thread_mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace solidum::communities

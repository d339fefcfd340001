#include "clearing/setoff.h"

#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <string>

namespace solidum::clearing {

namespace {

// Strongly connected components (Tarjan's algorithm, iterative: a network can be a chain
// millions of firms long). Returns each node's component.
std::vector<std::uint32_t> Components(std::size_t n, const std::vector<Obligation>& arcs) {
  // Outgoing arcs by node (compressed rows).
  std::vector<std::uint32_t> first(n + 1, 0), targets(arcs.size());
  for (const auto& a : arcs) ++first[a.debtor + 1];
  for (std::size_t v = 0; v < n; ++v) first[v + 1] += first[v];
  {
    std::vector<std::uint32_t> fill(first.begin(), first.end() - 1);
    for (const auto& a : arcs) targets[fill[a.debtor]++] = a.creditor;
  }
  constexpr std::uint32_t kUnseen = UINT32_MAX;
  std::vector<std::uint32_t> index(n, kUnseen), low(n, 0), component(n, kUnseen), next_arc(n, 0);
  std::vector<std::uint32_t> stack, path;  // Tarjan's stack; the depth-first path
  std::uint32_t counter = 0, components = 0;
  for (std::uint32_t root = 0; root < n; ++root) {
    if (index[root] != kUnseen) continue;
    path.push_back(root);
    index[root] = low[root] = counter++;
    next_arc[root] = first[root];
    stack.push_back(root);
    while (!path.empty()) {
      const std::uint32_t v = path.back();
      if (next_arc[v] < first[v + 1]) {
        const std::uint32_t w = targets[next_arc[v]++];
        if (index[w] == kUnseen) {
          index[w] = low[w] = counter++;
          next_arc[w] = first[w];
          stack.push_back(w);
          path.push_back(w);
        } else if (component[w] == kUnseen) {
          low[v] = std::min(low[v], index[w]);  // w is on the stack
        }
        continue;
      }
      path.pop_back();
      if (!path.empty()) low[path.back()] = std::min(low[path.back()], low[v]);
      if (low[v] == index[v]) {
        std::uint32_t w;
        do {
          w = stack.back();
          stack.pop_back();
          component[w] = components;
        } while (w != v);
        ++components;
      }
    }
  }
  return component;
}

}  // namespace

Result<SetOff> ComputeSetOff(const ObligationSet& set) {
  const std::size_t n_firms = set.firms.size(), n_obligations = set.obligations.size();
  SetOff out;
  out.total = set.total;
  out.firms.resize(n_firms);
  out.left.resize(n_obligations);
  for (std::size_t i = 0; i < n_obligations; ++i) {
    const auto& o = set.obligations[i];
    out.firms[o.debtor].owes += o.amount;
    out.firms[o.creditor].owed += o.amount;
    out.left[i] = o.amount;
  }
  for (const auto& f : out.firms) {
    if (f.owes > f.owed) out.nid += f.owes - f.owed;
  }

  // What is cancelled is a circulation on the obligations, so it lies on cycles: only an
  // obligation within a strongly connected component can shrink. The others stay whole
  // and stay out of the flow problem (on the datasets: about half of them).
  const auto component = Components(n_firms, set.obligations);
  std::vector<std::size_t> inner;  // obligations within a component
  for (std::size_t i = 0; i < n_obligations; ++i) {
    if (component[set.obligations[i].debtor] == component[set.obligations[i].creditor]) inner.push_back(i);
  }
  if (!inner.empty()) {
    // Arcs in `inner` order, so an arc's id is its position there; nodes are the firms on them.
    lemon::SmartDigraph graph;
    std::vector<int> node_of(n_firms, -1);
    int nodes = 0;
    for (std::size_t i : inner) {
      for (std::uint32_t f : {set.obligations[i].debtor, set.obligations[i].creditor}) {
        if (node_of[f] < 0) node_of[f] = nodes++;
      }
    }
    graph.reserveNode(nodes);
    graph.reserveArc(static_cast<int>(inner.size()));
    for (int v = 0; v < nodes; ++v) graph.addNode();
    for (std::size_t i : inner) {
      graph.addArc(graph.nodeFromId(node_of[set.obligations[i].debtor]), graph.nodeFromId(node_of[set.obligations[i].creditor]));
    }
    lemon::SmartDigraph::ArcMap<std::int64_t> upper(graph), cost(graph, 1);
    // A firm sends out (owes) that much more than it receives (is owed), now as before.
    lemon::SmartDigraph::NodeMap<std::int64_t> supply(graph, 0);
    for (std::size_t k = 0; k < inner.size(); ++k) {
      const auto& o = set.obligations[inner[k]];
      upper[graph.arcFromId(static_cast<int>(k))] = o.amount;
      supply[graph.nodeFromId(node_of[o.debtor])] += o.amount;
      supply[graph.nodeFromId(node_of[o.creditor])] -= o.amount;
    }
    lemon::NetworkSimplex<lemon::SmartDigraph, std::int64_t, std::int64_t> simplex(graph);
    simplex.upperMap(upper).costMap(cost).supplyMap(supply);
    // The original obligations are a feasible flow, so anything but optimal is a bug.
    const auto status = simplex.run(decltype(simplex)::BLOCK_SEARCH);
    if (status != decltype(simplex)::OPTIMAL) {
      return Error::Internal("set-off: the flow problem is not optimal (" + std::to_string(static_cast<int>(status)) + ")");
    }
    for (std::size_t k = 0; k < inner.size(); ++k) out.left[inner[k]] = simplex.flow(graph.arcFromId(static_cast<int>(k)));
  }
  for (std::size_t i = 0; i < n_obligations; ++i) {
    out.remaining += out.left[i];
    out.firms[set.obligations[i].debtor].set_off += set.obligations[i].amount - out.left[i];
  }
  out.cleared = out.total - out.remaining;
  SOLIDUM_TRY(CheckSetOff(set, out));
  return out;
}

Result<void> CheckSetOff(const ObligationSet& set, const SetOff& result) {
  auto broken = [](std::string what) { return Error::Internal("set-off guarantee broken: " + what); };
  if (result.left.size() != set.obligations.size() || result.firms.size() != set.firms.size()) return broken("sizes");
  std::vector<std::int64_t> net_before(set.firms.size(), 0), net_after(set.firms.size(), 0), owed_cut(set.firms.size(), 0);
  std::int64_t left_total = 0;
  for (std::size_t i = 0; i < set.obligations.size(); ++i) {
    const auto& o = set.obligations[i];
    const std::int64_t left = result.left[i];
    if (left < 0 || left > o.amount) return broken("obligation on line " + std::to_string(o.line) + " increased or made negative");
    net_before[o.creditor] += o.amount;
    net_before[o.debtor] -= o.amount;
    net_after[o.creditor] += left;
    net_after[o.debtor] -= left;
    owed_cut[o.creditor] += o.amount - left;
    left_total += left;
  }
  for (std::size_t f = 0; f < set.firms.size(); ++f) {
    if (net_before[f] != net_after[f]) return broken("the net position of " + set.firms[f] + " changed");
    // Its net position kept, a firm's cancelled debts equal its cancelled claims.
    if (owed_cut[f] != result.firms[f].set_off) return broken("the set-off of " + set.firms[f] + " is not the same on both sides");
  }
  if (left_total != result.remaining || result.cleared + result.remaining != result.total || result.total != set.total) {
    return broken("cleared + remaining != total");
  }
  if (result.remaining < result.nid) return broken("less debt left than the net internal debt");
  return Ok();
}

}  // namespace solidum::clearing

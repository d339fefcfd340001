#include "governance/notices.h"

#include <array>
#include <map>

namespace solidum::governance::notices {

namespace {

enum Lang { kEn, kFr, kEs, kPt };

Lang LangOf(std::string_view l) {
  if (l == "fr") return kFr;
  if (l == "es") return kEs;
  if (l == "pt") return kPt;
  return kEn;
}

using Phrases = std::array<const char*, 4>;  // en, fr, es, pt

// The catalogue: {name} placeholders are filled by Fill.
const std::map<std::string_view, Phrases>& Catalogue() {
  static const std::map<std::string_view, Phrases> c = {
      {"colon", {": ", " : ", ": ", ": "}},
      {"hello", {"Dear {member},", "Bonjour {member},", "Estimado/a {member}:", "Caro/a {member},"}},
      {"notice_subject",
       {"Notice of {kind} general assembly: {title}", "Convocation à l'assemblée générale {kind} : {title}",
        "Convocatoria a la asamblea general {kind}: {title}", "Convocatória para a assembleia geral {kind}: {title}"}},
      {"ordinary", {"ordinary", "ordinaire", "ordinaria", "ordinária"}},
      {"extraordinary", {"extraordinary", "extraordinaire", "extraordinaria", "extraordinária"}},
      {"notice_intro",
       {"{organisation} convenes its members to its {kind} general assembly, \"{title}\".",
        "{organisation} convoque ses membres à son assemblée générale {kind}, « {title} ».",
        "{organisation} convoca a sus miembros a su asamblea general {kind}, «{title}».",
        "{organisation} convoca os seus membros para a sua assembleia geral {kind}, «{title}»."}},
      {"when", {"When: {when}", "Date : {when}", "Fecha: {when}", "Data: {when}"}},
      {"where", {"Where: {place}", "Lieu : {place}", "Lugar: {place}", "Local: {place}"}},
      {"online", {"Online: {url}", "En ligne : {url}", "En línea: {url}", "Online: {url}"}},
      {"agenda", {"Agenda:", "Ordre du jour :", "Orden del día:", "Ordem do dia:"}},
      {"proxy",
       {"If you cannot attend, you may give your proxy to another member.",
        "Si vous ne pouvez pas venir, vous pouvez donner procuration à un autre membre.",
        "Si no puede asistir, puede otorgar su representación a otro miembro.",
        "Se não puder comparecer, pode passar procuração a outro membro."}},
      {"details", {"Details: {link}", "Détails : {link}", "Detalles: {link}", "Detalhes: {link}"}},
      {"record_subject",
       {"Decisions of the general assembly: {title}", "Décisions de l'assemblée générale : {title}",
        "Decisiones de la asamblea general: {title}", "Decisões da assembleia geral: {title}"}},
      {"record_intro",
       {"The general assembly \"{title}\" of {organisation} was held on {when}.",
        "L'assemblée générale « {title} » de {organisation} s'est tenue le {when}.",
        "La asamblea general «{title}» de {organisation} se celebró el {when}.",
        "A assembleia geral «{title}» de {organisation} realizou-se em {when}."}},
      {"attendance",
       {"Members present: {present}; represented: {represented}; entitled: {entitled}.",
        "Membres présents : {present} ; représentés : {represented} ; inscrits : {entitled}.",
        "Miembros presentes: {present}; representados: {represented}; con derecho: {entitled}.",
        "Membros presentes: {present}; representados: {represented}; com direito: {entitled}."}},
      {"quorum_met", {"The quorum was reached.", "Le quorum était atteint.", "Se alcanzó el quórum.", "O quórum foi atingido."}},
      {"quorum_not_met",
       {"The quorum was not reached.", "Le quorum n'était pas atteint.", "No se alcanzó el quórum.", "O quórum não foi atingido."}},
      {"decisions", {"Decisions:", "Décisions :", "Decisiones:", "Decisões:"}},
      {"adopted", {"adopted", "adoptée", "aprobada", "aprovada"}},
      {"rejected", {"rejected", "rejetée", "rechazada", "rejeitada"}},
      {"counts",
       {"yes {yes}, no {no}, abstentions {abstain}", "pour {yes}, contre {no}, abstentions {abstain}",
        "sí {yes}, no {no}, abstenciones {abstain}", "sim {yes}, não {no}, abstenções {abstain}"}},
      {"elected", {"elected: {names}", "élu·es : {names}", "electos/as: {names}", "eleitos/as: {names}"}},
      {"college", {"college {college}", "collège {college}", "colegio {college}", "colégio {college}"}},
      {"invite_subject", {"Your vote: {title}", "Votre vote : {title}", "Su voto: {title}", "O seu voto: {title}"}},
      {"invite_motion",
       {"{organisation} puts a motion to its members: \"{title}\".", "{organisation} soumet une résolution au vote de ses membres : « {title} ».",
        "{organisation} somete una moción a sus miembros: «{title}».", "{organisation} submete uma moção aos seus membros: «{title}»."}},
      {"invite_election",
       {"{organisation} holds an election: \"{title}\".", "{organisation} organise une élection : « {title} ».",
        "{organisation} celebra una elección: «{title}».", "{organisation} realiza uma eleição: «{title}»."}},
      {"window",
       {"Voting is open from {opens} to {closes}.", "Le vote est ouvert du {opens} au {closes}.",
        "La votación está abierta del {opens} al {closes}.", "A votação está aberta de {opens} a {closes}."}},
      {"secret",
       {"The ballot is secret: after voting you get a receipt code to check your ballot in the published list.",
        "Le vote est secret : après avoir voté, vous recevez un code de reçu pour retrouver votre bulletin dans la liste publiée.",
        "El voto es secreto: tras votar recibe un código de recibo para encontrar su papeleta en la lista publicada.",
        "O voto é secreto: depois de votar recebe um código de recibo para encontrar o seu boletim na lista publicada."}},
      {"vote_here", {"Vote here: {link}", "Voter ici : {link}", "Vote aquí: {link}", "Vote aqui: {link}"}},
      {"results_subject", {"Results: {title}", "Résultats : {title}", "Resultados: {title}", "Resultados: {title}"}},
      {"results_intro",
       {"The results of \"{title}\" ({organisation}) are published.", "Les résultats de « {title} » ({organisation}) sont publiés.",
        "Se han publicado los resultados de «{title}» ({organisation}).", "Os resultados de «{title}» ({organisation}) foram publicados."}},
      {"motion_outcome", {"The motion is {outcome}: {counts}.", "La résolution est {outcome} : {counts}.", "La moción ha sido {outcome}: {counts}.",
                          "A moção foi {outcome}: {counts}."}},
      {"recount",
       {"Every anonymised ballot and the verifiable log are public, so anyone can recount: {link}",
        "Tous les bulletins anonymisés et le journal vérifiable sont publics : chacun peut recompter : {link}",
        "Todas las papeletas anonimizadas y el registro verificable son públicos: cualquiera puede recontar: {link}",
        "Todos os boletins anonimizados e o registo verificável são públicos: qualquer pessoa pode recontar: {link}"}},
      {"footer",
       {"-- \nSent by Solidum for {organisation}. You receive this email as a member.",
        "-- \nEnvoyé par Solidum pour {organisation}. Vous recevez ce message en tant que membre.",
        "-- \nEnviado por Solidum para {organisation}. Recibe este mensaje como miembro.",
        "-- \nEnviado pelo Solidum para {organisation}. Recebe esta mensagem como membro."}},
  };
  return c;
}

std::string Fill(std::string_view name, Lang lang, const std::map<std::string, std::string>& values) {
  const std::string_view tpl = Catalogue().at(name)[lang];
  std::string out;
  for (std::size_t i = 0; i < tpl.size();) {
    if (tpl[i] == '{') {
      const auto close = tpl.find('}', i);
      const auto it = values.find(std::string(tpl.substr(i + 1, close - i - 1)));
      out += it == values.end() ? "" : it->second;
      i = close + 1;
    } else {
      out.push_back(tpl[i++]);
    }
  }
  return out;
}

std::string Phrase(std::string_view name, Lang lang) { return Catalogue().at(name)[lang]; }

// "2026-12-01T09:00:00.000Z" -> "2026-12-01 09:00 UTC"
std::string UtcTime(const std::string& rfc3339) {
  if (rfc3339.size() < 16) return rfc3339;
  return rfc3339.substr(0, 10) + " " + rfc3339.substr(11, 5) + " UTC";
}

std::string WallTime(const AssemblyFacts& a) {
  std::string t = a.starts_at.size() >= 16 ? a.starts_at.substr(0, 10) + " " + a.starts_at.substr(11, 5) : a.starts_at;
  return t + " (" + a.timezone + ")";
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::map<std::string, std::string> AssemblyValues(const AssemblyFacts& a, Lang l, const std::string& member) {
  return {{"organisation", a.organisation}, {"title", a.title},   {"kind", Phrase(a.kind == "extraordinary" ? "extraordinary" : "ordinary", l)},
          {"when", WallTime(a)},            {"place", a.place},   {"url", a.online_url},
          {"link", a.link},                 {"member", member}};
}

std::string Counts(Lang l, std::int64_t yes, std::int64_t no, std::int64_t abstain) {
  return Fill("counts", l, {{"yes", std::to_string(yes)}, {"no", std::to_string(no)}, {"abstain", std::to_string(abstain)}});
}

}  // namespace

Text AssemblyNotice(std::string_view language, const AssemblyFacts& a, const std::string& member) {
  const Lang l = LangOf(language);
  const auto v = AssemblyValues(a, l, member);
  std::string body = Fill("hello", l, v) + "\n\n" + Fill("notice_intro", l, v) + "\n\n" + Fill("when", l, v) + "\n";
  if (!a.place.empty()) body += Fill("where", l, v) + "\n";
  if (!a.online_url.empty()) body += Fill("online", l, v) + "\n";
  if (!a.agenda.empty()) {
    body += "\n" + Phrase("agenda", l) + "\n";
    for (std::size_t i = 0; i < a.agenda.size(); ++i) body += std::to_string(i + 1) + ". " + a.agenda[i] + "\n";
  }
  body += "\n" + Phrase("proxy", l) + "\n" + Fill("details", l, v) + "\n\n" + Fill("footer", l, v) + "\n";
  return {Fill("notice_subject", l, v), std::move(body)};
}

Text AssemblyRecord(std::string_view language, const AssemblyFacts& a, const Attendance& at, const std::vector<Decision>& decisions,
                    const std::string& member) {
  const Lang l = LangOf(language);
  auto v = AssemblyValues(a, l, member);
  v["present"] = std::to_string(at.present);
  v["represented"] = std::to_string(at.represented);
  v["entitled"] = std::to_string(at.entitled);
  std::string body = Fill("hello", l, v) + "\n\n" + Fill("record_intro", l, v) + "\n" + Fill("attendance", l, v) + " " +
                     Phrase(at.quorum_met ? "quorum_met" : "quorum_not_met", l) + "\n";
  if (!decisions.empty()) {
    body += "\n" + Phrase("decisions", l) + "\n";
    for (std::size_t i = 0; i < decisions.size(); ++i) {
      const auto& d = decisions[i];
      body += std::to_string(i + 1) + ". " + d.item;
      if (d.adopted) body += Phrase("colon", l) + Phrase(*d.adopted ? "adopted" : "rejected", l) + " (" + Counts(l, d.yes, d.no, d.abstain) + ")";
      if (!d.elected.empty()) body += Phrase("colon", l) + Fill("elected", l, {{"names", Join(d.elected)}});
      if (!d.note.empty()) body += "\n   " + d.note;
      body += "\n";
    }
  }
  body += "\n" + Fill("details", l, v) + "\n\n" + Fill("footer", l, v) + "\n";
  return {Fill("record_subject", l, v), std::move(body)};
}

Text BallotInvitation(std::string_view language, const BallotFacts& b, const std::string& member) {
  const Lang l = LangOf(language);
  const std::map<std::string, std::string> v = {{"organisation", b.organisation}, {"title", b.title},   {"member", member},
                                                {"opens", UtcTime(b.opens_at)},   {"closes", UtcTime(b.closes_at)}, {"link", b.link}};
  std::string body = Fill("hello", l, v) + "\n\n" + Fill(b.kind == "election" ? "invite_election" : "invite_motion", l, v) + "\n" +
                     Fill("window", l, v) + "\n\n" + Phrase("secret", l) + "\n\n" + Fill("vote_here", l, v) + "\n\n" + Fill("footer", l, v) + "\n";
  return {Fill("invite_subject", l, v), std::move(body)};
}

Text BallotResults(std::string_view language, const BallotFacts& b, const Outcome& o, const std::string& member) {
  const Lang l = LangOf(language);
  const std::map<std::string, std::string> v = {{"organisation", b.organisation}, {"title", b.title}, {"member", member}, {"link", b.link}};
  std::string body = Fill("hello", l, v) + "\n\n" + Fill("results_intro", l, v) + "\n\n";
  if (o.adopted) {
    body += Fill("motion_outcome", l, {{"outcome", Phrase(*o.adopted ? "adopted" : "rejected", l)}, {"counts", Counts(l, o.yes, o.no, o.abstain)}}) + "\n";
  }
  for (const auto& [college, names] : o.elected) {
    if (!college.empty()) body += Fill("college", l, {{"college", college}}) + Phrase("colon", l);
    body += Fill("elected", l, {{"names", Join(names)}}) + "\n";
  }
  body += "\n" + Fill("recount", l, v) + "\n\n" + Fill("footer", l, v) + "\n";
  return {Fill("results_subject", l, v), std::move(body)};
}

}  // namespace solidum::governance::notices

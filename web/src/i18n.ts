// Every string of the interface in English, French, Spanish and Portuguese. Vocabulary
// labels (legal forms, countries, activities) come from the API in the same language.

export type Lang = "en" | "fr" | "es" | "pt";
export const LANGS: Lang[] = ["en", "fr", "es", "pt"];

type Messages = Record<string, string>;

const en: Messages = {
  skip: "Skip to content",
  language: "Language",
  "nav.map": "Map and directory",
  "search.label": "Search the register",
  "search.placeholder": "Name, activity, place…",
  "search.submit": "Search",
  "filters.title": "Filters",
  "filters.clear": "Clear filters",
  "facet.legal_form": "Legal form",
  "facet.country": "Country",
  "facet.status": "Status",
  "facet.activity": "Activity",
  "facet.network_scope": "Networks",
  "facet.sdg": "Sustainable Development Goals",
  "status.active": "Active",
  "status.in_planning": "In planning",
  "status.closed": "Closed",
  "results.count": "{n} organisations",
  "results.one": "1 organisation",
  "results.none": "No organisation matches.",
  "results.more": "Show more",
  "results.inView": "In the map's view",
  "map.label": "Map of the organisations. Drag or use the arrow keys to move, + and - to zoom.",
  "map.zoomIn": "Zoom in",
  "map.zoomOut": "Zoom out",
  "map.loading": "Loading the map…",
  "map.points": "{n} organisations on the map",
  "org.back": "Back to the map",
  "org.legalForm": "Legal form",
  "org.activities": "Activities",
  "org.address": "Address",
  "org.website": "Website",
  "org.email": "Email",
  "org.phone": "Phone",
  "org.founded": "Founded",
  "org.members": "Members",
  "org.workers": "Workers",
  "org.volunteers": "Volunteers",
  "org.countsYear": "in {year}",
  "org.sdgs": "Sustainable Development Goals",
  "org.networks": "Networks",
  "org.relationships": "Relationships",
  "org.memberOf": "Member of",
  "org.network": "This is a network",
  "org.seeNetwork": "See its members",
  "org.notFound": "This organisation does not exist or was deleted.",
  "network.members": "Members",
  "network.portrait": "Portrait",
  "network.byLegalForm": "Members by legal form",
  "network.byCountry": "Members by country",
  "network.byYear": "Members by founding year",
  "network.role": "Role",
  "network.since": "Since",
  "error.load": "Could not load: {message}",
  "unknown": "Not given",
};

const fr: Messages = {
  skip: "Aller au contenu",
  language: "Langue",
  "nav.map": "Carte et annuaire",
  "search.label": "Rechercher dans le registre",
  "search.placeholder": "Nom, activité, lieu…",
  "search.submit": "Rechercher",
  "filters.title": "Filtres",
  "filters.clear": "Effacer les filtres",
  "facet.legal_form": "Forme juridique",
  "facet.country": "Pays",
  "facet.status": "Statut",
  "facet.activity": "Activité",
  "facet.network_scope": "Réseaux",
  "facet.sdg": "Objectifs de développement durable",
  "status.active": "En activité",
  "status.in_planning": "En projet",
  "status.closed": "Fermée",
  "results.count": "{n} organisations",
  "results.one": "1 organisation",
  "results.none": "Aucune organisation ne correspond.",
  "results.more": "Afficher plus",
  "results.inView": "Dans la vue de la carte",
  "map.label": "Carte des organisations. Faites glisser ou utilisez les flèches pour vous déplacer, + et - pour zoomer.",
  "map.zoomIn": "Zoomer",
  "map.zoomOut": "Dézoomer",
  "map.loading": "Chargement de la carte…",
  "map.points": "{n} organisations sur la carte",
  "org.back": "Retour à la carte",
  "org.legalForm": "Forme juridique",
  "org.activities": "Activités",
  "org.address": "Adresse",
  "org.website": "Site web",
  "org.email": "Courriel",
  "org.phone": "Téléphone",
  "org.founded": "Création",
  "org.members": "Membres",
  "org.workers": "Salariés",
  "org.volunteers": "Bénévoles",
  "org.countsYear": "en {year}",
  "org.sdgs": "Objectifs de développement durable",
  "org.networks": "Réseaux",
  "org.relationships": "Relations",
  "org.memberOf": "Membre de",
  "org.network": "C'est un réseau",
  "org.seeNetwork": "Voir ses membres",
  "org.notFound": "Cette organisation n'existe pas ou a été supprimée.",
  "network.members": "Membres",
  "network.portrait": "Portrait",
  "network.byLegalForm": "Membres par forme juridique",
  "network.byCountry": "Membres par pays",
  "network.byYear": "Membres par année de création",
  "network.role": "Rôle",
  "network.since": "Depuis",
  "error.load": "Chargement impossible : {message}",
  "unknown": "Non renseigné",
};

const es: Messages = {
  skip: "Ir al contenido",
  language: "Idioma",
  "nav.map": "Mapa y directorio",
  "search.label": "Buscar en el registro",
  "search.placeholder": "Nombre, actividad, lugar…",
  "search.submit": "Buscar",
  "filters.title": "Filtros",
  "filters.clear": "Quitar los filtros",
  "facet.legal_form": "Forma jurídica",
  "facet.country": "País",
  "facet.status": "Estado",
  "facet.activity": "Actividad",
  "facet.network_scope": "Redes",
  "facet.sdg": "Objetivos de Desarrollo Sostenible",
  "status.active": "Activa",
  "status.in_planning": "En proyecto",
  "status.closed": "Cerrada",
  "results.count": "{n} organizaciones",
  "results.one": "1 organización",
  "results.none": "Ninguna organización coincide.",
  "results.more": "Mostrar más",
  "results.inView": "En la vista del mapa",
  "map.label": "Mapa de las organizaciones. Arrastre o use las flechas para moverse, + y - para acercar o alejar.",
  "map.zoomIn": "Acercar",
  "map.zoomOut": "Alejar",
  "map.loading": "Cargando el mapa…",
  "map.points": "{n} organizaciones en el mapa",
  "org.back": "Volver al mapa",
  "org.legalForm": "Forma jurídica",
  "org.activities": "Actividades",
  "org.address": "Dirección",
  "org.website": "Sitio web",
  "org.email": "Correo electrónico",
  "org.phone": "Teléfono",
  "org.founded": "Fundación",
  "org.members": "Socias y socios",
  "org.workers": "Trabajadores",
  "org.volunteers": "Voluntarios",
  "org.countsYear": "en {year}",
  "org.sdgs": "Objetivos de Desarrollo Sostenible",
  "org.networks": "Redes",
  "org.relationships": "Relaciones",
  "org.memberOf": "Miembro de",
  "org.network": "Es una red",
  "org.seeNetwork": "Ver sus miembros",
  "org.notFound": "Esta organización no existe o fue eliminada.",
  "network.members": "Miembros",
  "network.portrait": "Retrato",
  "network.byLegalForm": "Miembros por forma jurídica",
  "network.byCountry": "Miembros por país",
  "network.byYear": "Miembros por año de fundación",
  "network.role": "Papel",
  "network.since": "Desde",
  "error.load": "No se pudo cargar: {message}",
  "unknown": "Sin dato",
};

const pt: Messages = {
  skip: "Ir para o conteúdo",
  language: "Idioma",
  "nav.map": "Mapa e diretório",
  "search.label": "Pesquisar no registo",
  "search.placeholder": "Nome, atividade, lugar…",
  "search.submit": "Pesquisar",
  "filters.title": "Filtros",
  "filters.clear": "Limpar os filtros",
  "facet.legal_form": "Forma jurídica",
  "facet.country": "País",
  "facet.status": "Situação",
  "facet.activity": "Atividade",
  "facet.network_scope": "Redes",
  "facet.sdg": "Objetivos de Desenvolvimento Sustentável",
  "status.active": "Ativa",
  "status.in_planning": "Em projeto",
  "status.closed": "Encerrada",
  "results.count": "{n} organizações",
  "results.one": "1 organização",
  "results.none": "Nenhuma organização corresponde.",
  "results.more": "Mostrar mais",
  "results.inView": "Na vista do mapa",
  "map.label": "Mapa das organizações. Arraste ou use as setas para mover, + e - para o zoom.",
  "map.zoomIn": "Aproximar",
  "map.zoomOut": "Afastar",
  "map.loading": "A carregar o mapa…",
  "map.points": "{n} organizações no mapa",
  "org.back": "Voltar ao mapa",
  "org.legalForm": "Forma jurídica",
  "org.activities": "Atividades",
  "org.address": "Morada",
  "org.website": "Sítio web",
  "org.email": "Correio eletrónico",
  "org.phone": "Telefone",
  "org.founded": "Fundação",
  "org.members": "Membros",
  "org.workers": "Trabalhadores",
  "org.volunteers": "Voluntários",
  "org.countsYear": "em {year}",
  "org.sdgs": "Objetivos de Desenvolvimento Sustentável",
  "org.networks": "Redes",
  "org.relationships": "Relações",
  "org.memberOf": "Membro de",
  "org.network": "É uma rede",
  "org.seeNetwork": "Ver os seus membros",
  "org.notFound": "Esta organização não existe ou foi eliminada.",
  "network.members": "Membros",
  "network.portrait": "Retrato",
  "network.byLegalForm": "Membros por forma jurídica",
  "network.byCountry": "Membros por país",
  "network.byYear": "Membros por ano de fundação",
  "network.role": "Papel",
  "network.since": "Desde",
  "error.load": "Não foi possível carregar: {message}",
  "unknown": "Sem informação",
};

export const MESSAGES: Record<Lang, Messages> = { en, fr, es, pt };

function initialLang(): Lang {
  const saved = localStorage.getItem("solidum.lang");
  if (saved && (LANGS as string[]).includes(saved)) return saved as Lang;
  const nav = (navigator.language || "en").slice(0, 2);
  return (LANGS as string[]).includes(nav) ? (nav as Lang) : "en";
}

let current: Lang = initialLang();
const listeners: Array<() => void> = [];

export function lang(): Lang {
  return current;
}

export function setLang(l: Lang): void {
  current = l;
  localStorage.setItem("solidum.lang", l);
  document.documentElement.lang = l;
  for (const f of listeners) f();
}

export function onLangChange(f: () => void): void {
  listeners.push(f);
}

// The message `key` in the current language, with {name} placeholders filled.
export function t(key: string, vars: Record<string, string | number> = {}): string {
  const s = MESSAGES[current][key] ?? MESSAGES.en[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ""));
}

export function count(n: number): string {
  if (n === 0) return t("results.none");
  if (n === 1) return t("results.one");
  return t("results.count", { n: n.toLocaleString(current) });
}

// Fills every element with data-i18n (static markup).
export function translateStatic(root: ParentNode = document): void {
  root.querySelectorAll<HTMLElement>("[data-i18n]").forEach((el) => {
    el.textContent = t(el.dataset.i18n!);
  });
}

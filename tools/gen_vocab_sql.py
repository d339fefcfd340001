#!/usr/bin/env python3
"""Prints the INSERT statements that seed the legal-form and country vocabularies from
ESSGLOBAL (../shared/datasets/vocabularies/essglobal-vocabs.json), with the Portuguese
labels ESSGLOBAL lacks. Used once to write a migration; kept so the seed can be re-derived."""
import json, sys, pathlib

src = pathlib.Path(__file__).resolve().parents[1] / '..' / 'shared/datasets/vocabularies/essglobal-vocabs.json'
v = json.load(open(src))['vocabs']

PT_OS = {
 'OS10': 'Grupo comunitário (formal ou informal)', 'OS100': 'Cooperativa multissetorial',
 'OS110': 'Cooperativa de segundo grau', 'OS115': 'Cooperativa',
 'OS120': 'Empresa de interesse comunitário (CIC)',
 'OS130': 'Sociedade de benefício comunitário / Sociedade industrial e de previdência',
 'OS140': 'Fundo fiduciário de trabalhadores', 'OS150': 'Trabalhador por conta própria',
 'OS160': 'Sem personalidade jurídica', 'OS170': 'Mútua', 'OS180': 'Organização de cúpula nacional',
 'OS190': 'Federação ou união setorial nacional', 'OS20': 'Organização sem fins lucrativos',
 'OS200': 'Federação ou união regional, estadual ou provincial', 'OS210': 'Grupo cooperativo',
 'OS220': 'Agência ou órgão governamental', 'OS230': 'Organização supranacional',
 'OS240': 'Cooperativa de cooperativas / mútuas', 'OS30': 'Empresa social', 'OS40': 'Instituição de caridade',
 'OS50': 'Empresa (outra)', 'OS60': 'Cooperativa de trabalho', 'OS70': 'Cooperativa de habitação',
 'OS80': 'Cooperativa de consumo', 'OS90': 'Cooperativa de produtores',
}

def q(s):
    return "NULL" if not s else "'" + s.replace("'", "''") + "'"

def emit(table, vocab, pt, upper):
    terms = v[vocab]['en']['terms']
    rows = []
    for code in sorted(terms, key=lambda c: (len(c), c)):
        en = terms[code]
        fr = v[vocab].get('fr', {}).get('terms', {}).get(code)
        es = v[vocab].get('es', {}).get('terms', {}).get(code)
        rows.append(f"({q(code.upper() if upper else code)}, {q(en)}, {q(fr)}, {q(es)}, {q(pt.get(code))})")
    print(f"INSERT INTO {table} (code, label_en, label_fr, label_es, label_pt) VALUES")
    print(",\n".join(rows) + ";")

emit('legal_forms', 'os', PT_OS, False)
emit('countries', 'coun', {}, True)
# The activities, membership-type and SDG seeds of 0002_organisation_record.sql were written the same way (with Portuguese labels and the UN's SDG names in four languages).

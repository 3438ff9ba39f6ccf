"""Shared test inputs."""

from __future__ import annotations

# A minimal valid custom rule (one house rule): tests derive broken variants from it.
GOOD_RULE = """\
rules:
  - id: house-sponsor
    requirement: CGT-IND-MOA
    severity: info
    title: {en: Sponsor named, zh: 申请人}
    description: {en: The sponsor is named., zh: 写明申请人。}
    applies: [{as: d, fact: dossier}]
    applies_when: {en: every dossier, zh: 所有申报资料}
    gap:
      where: {d: {product.sponsor: absent}}
    report: {at: d, field: product.sponsor}
    message: {en: product.sponsor is missing, zh: 缺少 product.sponsor}
    remediation: {en: Name the sponsor., zh: 写明申请人。}
    citation: {source: A}
"""

"""The language server (`cgt-check lsp`): dossiers checked as they are edited, with the check's
own options, findings as diagnostics, the rules explained on hover and mechanical fixes as code
actions. Built on pygls (the `lsp` extra); nothing below this layer needs it."""

"""Documents that leave the laptop (INCREP, SITREP, 9-line MEDEVAC): their layout as plain text
for a radio or an e-mail, and as PDF drawn with Qt's own PDF writer. Renderers take a
`ReportDocument` made of plain values; they never read the vault."""

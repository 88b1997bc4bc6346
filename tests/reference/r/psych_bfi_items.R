# psych_bfi_items.R -- regenerates psych_bfi_items.csv (together with psych_alpha.csv) by running psych_alpha.R, which writes both files.
# R version 4.2.2 Patched (2022-11-10 r83330); packages and exact calls: see the header of psych_alpha.R.
# Run from this folder: Rscript psych_bfi_items.R
source("psych_alpha.R", chdir = TRUE)

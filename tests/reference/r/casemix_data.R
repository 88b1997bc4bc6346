# casemix_data.R -- regenerates casemix_data.csv (together with casemix_lm.csv) by running casemix_lm.R, which writes both files.
# R version 4.2.2 Patched (2022-11-10 r83330); packages and exact calls: see the header of casemix_lm.R.
# Run from this folder: Rscript casemix_data.R
source("casemix_lm.R", chdir = TRUE)

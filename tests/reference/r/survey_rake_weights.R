# survey_rake_weights.R -- regenerates survey_rake_weights.csv (together with survey_rake.csv) by running survey_rake.R, which writes both files.
# R version 4.2.2 Patched (2022-11-10 r83330); packages and exact calls: see the header of survey_rake.R.
# Run from this folder: Rscript survey_rake_weights.R
source("survey_rake.R", chdir = TRUE)

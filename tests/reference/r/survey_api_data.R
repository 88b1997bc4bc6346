# survey_api_data.R -- regenerates survey_api_data.csv (together with survey_api.csv) by running survey_api.R, which writes both files.
# R version 4.2.2 Patched (2022-11-10 r83330); packages and exact calls: see the header of survey_api.R.
# Run from this folder: Rscript survey_api_data.R
source("survey_api.R", chdir = TRUE)

/* models.h - the registered models (one line per model; see model.h). */
#ifndef REPRO_MODELS_H
#define REPRO_MODELS_H

#include "repro/model.h"

extern const repro_model_type repro_model_ElasticNet;
extern const repro_model_type repro_model_FRI;
extern const repro_model_type repro_model_RF;
extern const repro_model_type repro_model_SQ;
extern const repro_model_type repro_model_Forest;
extern const repro_model_type repro_model_Boruta;

#endif

/* models.h - the registered models (one line per model; see model.h). */
#ifndef REPRO_MODELS_H
#define REPRO_MODELS_H

#include "repro/model.h"

extern const repro_model_type repro_model_ElasticNet;

#endif

/* registry.c - every model by name, in the order of the paper's tables.
 * Adding a model is one row here (and its own file). */
#include "repro/model.h"
#include "repro/models.h"

const repro_model_type *const repro_models[] = {
    &repro_model_ElasticNet,
    &repro_model_FRI,
    &repro_model_RF,
    &repro_model_SQ,
    &repro_model_Forest,
    &repro_model_Boruta,
    NULL
};

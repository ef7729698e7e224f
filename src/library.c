/* library.c — the built-in formula library: every input and formula the cost
 * model knows, with unit, default, one sentence of documentation and a source.
 *
 * Names are <group>.<quantity>.  "CUR" is the scenario's currency.  Inputs with
 * a NULL default have no defensible general value: the scenario must set them,
 * and formulas that need them are simply not computed until it does. */
#include "lc_model.h"

#define INPUT(name, unit, deflt, doc, source) {name, unit, NULL, deflt, doc, source, 0}
#define CHOICE(name, deflt, doc, source) {name, "", NULL, deflt, doc, source, 1}
#define FORMULA(name, unit, expr, doc, source) {name, unit, expr, NULL, doc, source, 0}

const lc_libentry lc_library[] = {
    /* --- hardware: chosen from the catalog, each value overridable --------- */
    CHOICE("fleet.server", NULL,
           "Catalog id of the server (dgx-a100, dgx-h100, hgx-h100, ...); sets server.* and, "
           "unless fleet.gpu is set, the GPU.",
           "built-in catalog (llmcost catalog)"),
    CHOICE("fleet.gpu", NULL,
           "Catalog id of the accelerator (a100-80gb, h100-sxm, h800, h20, ascend-910b, ...); "
           "sets gpu.*.",
           "built-in catalog (llmcost catalog)"),
    CHOICE("gpu.precision", "bf16",
           "Arithmetic precision whose dense peak gpu.peak takes: fp64, tf32, bf16, fp16, fp8 "
           "or int8 (bf16 falls back to fp16 on chips without it).",
           "bf16 mixed precision is the norm for LLM training since 2021 (e.g. Llama 2, 2023)"),
    INPUT("server.gpus", "GPU", NULL, "Accelerators in one server.", "catalog"),
    INPUT("server.power", "kW", NULL,
          "Electrical power drawn by one server (the catalog gives the maximum system power, as "
          "claim E1 takes it).",
          "catalog"),
    INPUT("server.price", "CUR", NULL, "Purchase price of one server.", "catalog"),
    INPUT("gpu.peak", "TFLOP/s", NULL, "Dense peak throughput of one GPU at gpu.precision.",
          "catalog"),
    INPUT("gpu.memory", "GB", NULL, "Memory of one GPU.", "catalog"),
    INPUT("gpu.bandwidth", "GB/s", NULL, "Memory bandwidth of one GPU.", "catalog"),
    INPUT("gpu.tdp", "W", NULL, "Thermal design power of one GPU.", "catalog"),
    INPUT("gpu.price", "CUR", NULL, "Purchase price of one GPU alone.", "catalog"),
    INPUT("gpu.rent", "CUR/GPU-hour", NULL, "Cloud rental price of one GPU for one hour.",
          "catalog"),

    /* --- fleet, power, electricity, carbon ----------------------------------- */
    INPUT("fleet.servers", "servers", NULL, "Number of servers in the fleet.", "scenario"),
    FORMULA("fleet.gpus", "GPU", "fleet.servers * server.gpus", "GPUs in the fleet.",
            "definition"),
    INPUT("power.cooling_ratio", "", NULL,
          "Cooling and other facility power per unit of IT power (1.0 = as much again).",
          "claim E2 takes 1.0"),
    FORMULA("power.pue", "", "1 + power.cooling_ratio",
            "Power usage effectiveness: facility power over IT power.",
            "The Green Grid, 'PUE: a comprehensive examination of the metric' (2012)"),
    FORMULA("power.it", "kW", "fleet.servers * server.power", "IT power of the fleet.",
            "definition"),
    FORMULA("power.facility", "kW", "power.it * power.pue",
            "Power drawn from the grid, cooling included.", "definition of PUE"),
    INPUT("electricity.price", "CUR/kWh", NULL, "Price of electricity.", "scenario"),
    INPUT("electricity.hours", "h", "24 h", "Hours a day the fleet runs.",
          "round-the-clock operation, as claims E3 and E4 assume"),
    FORMULA("electricity.cost_per_server_day", "CUR/day",
            "server.power * power.pue * electricity.hours * electricity.price / 1 day",
            "Electricity bill of one server for one day: power x PUE x hours x price.",
            "the arithmetic of claim E3"),
    FORMULA("electricity.cost_per_day", "CUR/day",
            "electricity.cost_per_server_day * fleet.servers",
            "Electricity bill of the fleet for one day.", "the arithmetic of claim E4"),
    FORMULA("electricity.cost_per_year", "CUR/year", "electricity.cost_per_day",
            "Electricity bill of the fleet for a year of 365 days.", "definition"),
    FORMULA("electricity.cost_per_gpu_hour", "CUR/GPU-hour",
            "server.power * power.pue * electricity.price / server.gpus",
            "Electricity cost of one GPU-hour, its share of server and cooling included.",
            "definition"),
    FORMULA("electricity.energy_per_day", "kWh/day",
            "power.facility * electricity.hours / 1 day", "Energy the fleet uses in a day.",
            "definition"),
    FORMULA("electricity.energy_per_year", "MWh/year", "electricity.energy_per_day",
            "Energy the fleet uses in a year of 365 days.", "definition"),
    INPUT("carbon.intensity", "kgCO2e/kWh", NULL, "CO2-equivalent emitted per kWh of the grid.",
          "scenario (grid data)"),
    FORMULA("carbon.per_day", "tCO2e/day", "electricity.energy_per_day * carbon.intensity",
            "Emissions of the fleet in a day.", "Patterson et al. 2021: CO2 = energy x intensity"),
    FORMULA("carbon.per_year", "tCO2e/year", "carbon.per_day",
            "Emissions of the fleet in a year of 365 days.", "definition"),
};

const size_t lc_library_count = sizeof lc_library / sizeof lc_library[0];

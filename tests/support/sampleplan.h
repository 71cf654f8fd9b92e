#pragma once

#include "reports/plandocument.h"

/** A realistic migration plan built by hand, for the plan PDF and Gantt chart tests. */
namespace SamplePlan {

/// 14 stages from Monday 2 March 2026: backup, setup, templates, integration, the suppression
/// wave, testing, training, four subscriber waves, the go-live milestone and two reviews;
/// scheduled.
Timeline timeline();

/// Everything filled in: objectives, an assessed inventory, assets, risks, three ranked
/// platforms and the choice, the timeline, four people and 44 checklist items.
PlanDocument full();

/// full() grown to stress the page layout: 36 stages with long criteria, 150 checklist tasks
/// with titles that wrap, a long unbroken URL in a note.
PlanDocument large();

/// Only the names and the date: every part empty.
PlanDocument empty();

} // namespace SamplePlan

#pragma once

#include "plan/migrationsteps.h"
#include "transfer/transferconfig.h"

#include <QWizard>

class ProjectSession;
class StepList;

/**
 * The migration wizard on one project: a page per step (those of later releases say what they
 * will hold), the step list beside it, and the current step remembered in the project.
 */
class MigrationWizard : public QWizard
{
    Q_OBJECT

public:
    explicit MigrationWizard(ProjectSession *session, QWidget *parent = nullptr);

    StepId currentStep() const { return StepId(currentId()); }
    /// Moves to a step, page by page, stopping at the first page that is not complete.
    void goToStep(StepId step);
    /// Moves to the step that runs a transfer stage and shows that stage (a wave: selected).
    void showStage(const StageRef &ref);
    StepList *stepList() const { return m_steps; }

private:
    ProjectSession *m_session;
    StepList *m_steps;
    bool m_restoring = false;
};

#pragma once

#include "plan/migrationsteps.h"

#include <QListWidget>

/**
 * Every step of the migration, grouped (Planning, Execution, Exports), with the current one
 * marked and those of later releases shown as such. Clicking a step asks to go there.
 */
class StepList : public QListWidget
{
    Q_OBJECT

public:
    explicit StepList(QWidget *parent = nullptr);

    void setCurrentStep(StepId id);
    /// The row of a step (group headers take rows too).
    int rowOf(StepId id) const;

Q_SIGNALS:
    void stepRequested(StepId id);

private:
    static constexpr int kStepRole = Qt::UserRole + 1;
};

#pragma once

#include "plan/migrationsteps.h"
#include "transfer/transferconfig.h"

#include <QWizardPage>

class StageRunPanel;
class TransferController;

/**
 * An execution step that is one transfer stage (Backup: stage "backup"; Initial setup: stage
 * "setup"): the StageRunPanel for it, nothing more.
 */
class StagePage : public QWizardPage
{
    Q_OBJECT

public:
    StagePage(const MigrationStep &step, const StageRef &ref, TransferController *transfer,
              QWidget *parent = nullptr);
    StageRunPanel *panel() const { return m_panel; }

private:
    StageRunPanel *m_panel;
};

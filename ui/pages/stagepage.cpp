#include "pages/stagepage.h"

#include "widgets/stagerunpanel.h"

#include <QVBoxLayout>

StagePage::StagePage(const MigrationStep &step, const StageRef &ref, TransferController *transfer, QWidget *parent)
    : QWizardPage(parent)
{
    setObjectName(QStringLiteral("page_") + step.key);
    setTitle(step.title);
    setSubTitle(step.summary);
    auto *layout = new QVBoxLayout(this);
    m_panel = new StageRunPanel(transfer, this);
    m_panel->setStage(ref);
    layout->addWidget(m_panel);
}

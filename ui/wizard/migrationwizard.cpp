#include "wizard/migrationwizard.h"

#include "pages/assessmentpage.h"
#include "pages/connectionspage.h"
#include "pages/fieldmappingpage.h"
#include "pages/exportspage.h"
#include "pages/objectivespage.h"
#include "pages/platformchoicepage.h"
#include "pages/timelinepage.h"
#include "pages/placeholderpage.h"
#include "pages/datatransferpage.h"
#include "pages/stagepage.h"
#include "project/projectsession.h"
#include "store/projectstore.h"
#include "wizard/steplist.h"

#include <QAbstractButton>

namespace {
const QString kStepKey = QStringLiteral("ui.step");
}

MigrationWizard::MigrationWizard(ProjectSession *session, QWidget *parent) : QWizard(parent), m_session(session)
{
    setObjectName(QStringLiteral("migrationWizard"));
    setWindowFlags(Qt::Widget); // embedded in the main window
    setWizardStyle(QWizard::ClassicStyle);
    setOptions(QWizard::NoCancelButton | QWizard::NoDefaultButton | QWizard::NoBackButtonOnStartPage);
    setButtonLayout({QWizard::Stretch, QWizard::BackButton, QWizard::NextButton});
    button(QWizard::NextButton)->setObjectName(QStringLiteral("nextButton"));
    button(QWizard::BackButton)->setObjectName(QStringLiteral("backButton"));

    for (const MigrationStep &step : MigrationSteps::all()) {
        QWizardPage *page = nullptr;
        if (step.id == StepId::Connections)
            page = new ConnectionsPage(session->connections());
        else if (step.id == StepId::FieldMapping)
            page = new FieldMappingPage(session->fieldMapping(), session->connections());
        else if (step.id == StepId::Assessment)
            page = new AssessmentPage(session->assessment(), session->store(), session->catalog(),
                                      session->connections());
        else if (step.id == StepId::Objectives)
            page = new ObjectivesPage(session->plan());
        else if (step.id == StepId::PlatformChoice)
            page = new PlatformChoicePage(session->plan());
        else if (step.id == StepId::Timeline)
            page = new TimelinePage(session->plan(), session->store());
        else if (step.id == StepId::Backup)
            page = new StagePage(step, StageRef{QStringLiteral("backup"), 0}, session->transfer());
        else if (step.id == StepId::InitialSetup)
            page = new StagePage(step, StageRef{QStringLiteral("setup"), 0}, session->transfer());
        else if (step.id == StepId::DataTransfer)
            page = new DataTransferPage(session->transfer(), session->plan(), session->review());
        else if (step.id == StepId::Exports)
            page = new ExportsPage(session->plan());
        else
            page = new PlaceholderPage(step);
        setPage(int(step.id), page);
    }
    setStartId(int(StepId::Connections));

    m_steps = new StepList(this);
    setSideWidget(m_steps);

    connect(this, &QWizard::currentIdChanged, this, [this](int id) {
        if (id < 0)
            return;
        m_steps->setCurrentStep(StepId(id));
        if (!m_restoring)
            m_session->store()->setValue(kStepKey, MigrationSteps::step(StepId(id)).key).ok();
    });
    connect(m_steps, &StepList::stepRequested, this, &MigrationWizard::goToStep);

    // Reopen where the user left off (without recording the pages passed on the way).
    m_restoring = true;
    restart();
    if (const MigrationStep *saved = MigrationSteps::byKey(m_session->store()->value(kStepKey).toString()))
        goToStep(saved->id);
    m_restoring = false;
    m_steps->setCurrentStep(currentStep());
}

void MigrationWizard::goToStep(StepId step)
{
    const int target = int(step);
    while (currentId() > target && currentId() != startId())
        back();
    while (currentId() < target && currentPage() && currentPage()->isComplete()) {
        const int before = currentId();
        next();
        if (currentId() == before)
            break;
    }
    m_steps->setCurrentStep(currentStep());
}

void MigrationWizard::showStage(const StageRef &ref)
{
    if (ref.stage == u"backup")
        return goToStep(StepId::Backup);
    if (ref.stage == u"setup")
        return goToStep(StepId::InitialSetup);
    goToStep(StepId::DataTransfer);
    if (auto *page = qobject_cast<DataTransferPage *>(this->page(int(StepId::DataTransfer))))
        page->selectWave(ref.wave);
}

#include "pages/datatransferpage.h"

#include "dialogs/reviewwindow.h"

#include "plan/migrationsteps.h"
#include "plan/plancontroller.h"
#include "transfer/stageoutcome.h"
#include "transfer/transfercontroller.h"
#include "widgets/stagerunpanel.h"

#include <QHeaderView>
#include <QLocale>
#include <QHBoxLayout>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {

QString stateText(const std::optional<TransferRun> &run, bool running, bool paused)
{
    if (running)
        return paused ? DataTransferPage::tr("paused") : DataTransferPage::tr("running");
    if (!run)
        return DataTransferPage::tr("not run");
    switch (run->state) {
    case RunState::Running:
    case RunState::Paused: return DataTransferPage::tr("interrupted");
    case RunState::Finished: return run->approvedAt.isValid() ? DataTransferPage::tr("approved") : DataTransferPage::tr("finished");
    case RunState::Failed: return DataTransferPage::tr("ended with errors");
    case RunState::Cancelled: return DataTransferPage::tr("cancelled");
    }
    return {};
}

} // namespace

DataTransferPage::DataTransferPage(TransferController *transfer, PlanController *plan, IntegrityReview *review,
                                   QWidget *parent)
    : QWizardPage(parent), m_transfer(transfer), m_plan(plan)
{
    const MigrationStep &step = MigrationSteps::step(StepId::DataTransfer);
    setObjectName(u"page_"_s + step.key);
    setTitle(step.title);
    setSubTitle(step.summary);
    auto *layout = new QVBoxLayout(this);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    m_table = new QTableWidget(0, ColumnCount, splitter);
    m_table->setObjectName(u"wavesTable"_s);
    m_table->setHorizontalHeaderLabels({tr("Stage"), tr("State"), tr("Contacts"), tr("Written"), tr("Rejected"), tr("Approved by")});
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setColumnWidth(ColStage, 170);
    m_table->setColumnWidth(ColState, 130);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    // Wave 0 and a few subscriber waves in view without scrolling.
    m_table->setMinimumHeight(m_table->horizontalHeader()->sizeHint().height() + 4 * (m_table->fontMetrics().height() + 8) + 4);
    m_panel = new StageRunPanel(transfer, splitter);
    m_panel->setReview(review);
    m_review = review;
    if (review) {
        // Any two exports or backups, compared on demand (not a gate: nothing is approved).
        auto *compareFiles = new QPushButton(tr("Compare two files…"), this);
        compareFiles->setObjectName(u"compareFilesButton"_s);
        compareFiles->setToolTip(tr("Compare two exports or backups contact by contact, e.g. the source's "
                                    "export with the target's."));
        auto *row = new QHBoxLayout;
        row->addStretch();
        row->addWidget(compareFiles);
        layout->addLayout(row);
        connect(compareFiles, &QPushButton::clicked, this, [this] {
            if (!m_filesWindow) {
                m_filesWindow = new ReviewWindow(m_review, m_transfer, this);
                m_filesWindow->setFilesMode();
            }
            m_filesWindow->show();
            m_filesWindow->raise();
        });
    }
    splitter->addWidget(m_table);
    splitter->addWidget(m_panel);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 4);
    layout->addWidget(splitter);

    connect(m_table, &QTableWidget::itemSelectionChanged, this, [this] {
        if (m_reloading)
            return;
        const QList<QTableWidgetItem *> items = m_table->selectedItems();
        if (items.isEmpty())
            return;
        const auto ref = StageRef::fromId(m_table->item(items.first()->row(), ColStage)->data(Qt::UserRole).toString());
        if (ref && !(*ref == m_panel->stage()))
            m_panel->setStage(*ref);
    });
    connect(m_transfer, &TransferController::journalChanged, this, [this] {
        if (isVisible())
            reload();
    });
    connect(m_transfer, &TransferController::pausedChanged, this, [this] {
        if (isVisible())
            reload();
    });
}

void DataTransferPage::showEvent(QShowEvent *event)
{
    QWizardPage::showEvent(event);
    reload();
}

void DataTransferPage::selectWave(int wave)
{
    for (int row = 0; row < m_table->rowCount(); ++row) {
        if (m_table->item(row, ColStage)->data(Qt::UserRole + 1).toInt() == wave) {
            m_table->selectRow(row);
            return;
        }
    }
}

void DataTransferPage::reload()
{
    m_reloading = true;
    const QLocale l;
    // The runs from one read of the journal (a stage's full status verifies the backup: only the
    // panel asks for it, for the stage it shows).
    QList<StageRef> waves;
    for (const StageRef &ref : m_transfer->stages()) {
        if (ref.isWave())
            waves.append(ref);
    }
    const Result<QList<TransferRun>> runs = m_transfer->journal().runs();
    const auto latest = [&](const StageRef &ref, bool dryRun) -> std::optional<TransferRun> {
        if (!runs)
            return std::nullopt;
        for (auto it = runs->crbegin(); it != runs->crend(); ++it) {
            if (it->stage == ref.stage && it->wave == ref.wave && it->dryRun == dryRun)
                return *it;
        }
        return std::nullopt;
    };
    m_table->setRowCount(int(waves.size()));
    const std::optional<StageRef> running = m_transfer->runningStage();
    int selectRow = -1;
    for (int row = 0; row < waves.size(); ++row) {
        const StageStatus s{waves.at(row), latest(waves.at(row), false), latest(waves.at(row), true), std::nullopt};
        const bool isRunning = running && *running == s.ref;
        std::optional<StageOutcome> o;
        if (s.lastRun)
            o = StageOutcome::fromRun(*s.lastRun);
        else if (s.lastDryRun)
            o = StageOutcome::fromRun(*s.lastDryRun);
        auto *stage = new QTableWidgetItem(s.ref.title());
        stage->setData(Qt::UserRole, s.ref.id());
        stage->setData(Qt::UserRole + 1, s.ref.wave);
        m_table->setItem(row, ColStage, stage);
        m_table->setItem(row, ColState, new QTableWidgetItem(stateText(s.lastRun, isRunning, isRunning && m_transfer->isPaused())));
        // The contacts: as the last run counted them, else as the timeline planned them.
        qint64 contacts = o && o->total > 0 ? o->total : -1;
        if (contacts < 0) {
            if (const Stage *planned = m_plan->timeline().find(s.ref.id()); planned && planned->contacts > 0)
                contacts = planned->contacts;
        }
        m_table->setItem(row, ColContacts, new QTableWidgetItem(contacts >= 0 ? l.toString(contacts) : u"—"_s));
        m_table->setItem(row, ColWritten, new QTableWidgetItem(s.lastRun ? l.toString(o->written) : u"—"_s));
        m_table->setItem(row, ColRejected, new QTableWidgetItem(s.lastRun ? l.toString(o->failed) : u"—"_s));
        m_table->setItem(row, ColApproved, new QTableWidgetItem(
            s.lastRun && s.lastRun->approvedAt.isValid()
                ? tr("%1, %2").arg(s.lastRun->approvedBy, QLocale().toString(s.lastRun->approvedAt.toLocalTime(), QLocale::ShortFormat))
                : QString()));
        for (int c = ColContacts; c <= ColRejected; ++c)
            m_table->item(row, c)->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        if (s.ref == m_panel->stage())
            selectRow = row;
    }
    // First show: the running wave, else the first one not yet approved.
    if (selectRow < 0) {
        for (int row = 0; row < waves.size() && selectRow < 0; ++row) {
            const std::optional<TransferRun> run = latest(waves.at(row), false);
            if ((running && *running == waves.at(row)) || !run || !run->approvedAt.isValid())
                selectRow = row;
        }
        if (selectRow < 0 && !waves.isEmpty())
            selectRow = 0;
    }
    m_reloading = false;
    if (selectRow >= 0)
        m_table->selectRow(selectRow);
    if (selectRow >= 0 && m_panel->stage().stage.isEmpty())
        m_panel->setStage(waves.at(selectRow));
}

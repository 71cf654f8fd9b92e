#include "pages/assessmentpage.h"

#include "assessment/apiassessor.h"
#include "assessment/assessmentcontroller.h"
#include "connectors/connectioncontroller.h"
#include "catalog/platformcatalog.h"
#include "dialogs/prompts.h"
#include "store/projectstore.h"
#include "widgets/assetseditor.h"
#include "widgets/findingspanel.h"
#include "widgets/overviewpanel.h"

#include <QComboBox>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QStyledItemDelegate>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace {

/** Lets a table be sorted by clicking its headers, on the model's sort keys (Qt::UserRole). */
QAbstractItemModel *sortable(QAbstractItemModel *model, QTableView *view)
{
    auto *proxy = new QSortFilterProxyModel(view);
    proxy->setSourceModel(model);
    proxy->setSortRole(Qt::UserRole);
    proxy->setSortCaseSensitivity(Qt::CaseInsensitive);
    view->setSortingEnabled(true);
    view->sortByColumn(-1, Qt::AscendingOrder); // the model's own order until a header is clicked
    return proxy;
}

const QString kTabKey = QStringLiteral("ui.assessment.tab");
const QString kLastFolderKey = QStringLiteral("ui.assessment.folder");

/** Colours the severity column of the risks table. */
class SeverityDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        switch (Risk::Severity(index.data(RisksModel::SeverityRole).toInt())) {
        case Risk::Critical: option->palette.setColor(QPalette::Text, QColor(0xb7, 0x1c, 0x1c)); break;
        case Risk::Warning: option->palette.setColor(QPalette::Text, QColor(0xa0, 0x52, 0x00)); break;
        case Risk::Info: option->palette.setColor(QPalette::Text, QColor(0x1e, 0x5a, 0x8c)); break;
        }
        option->font.setBold(true);
    }
};
} // namespace

AssessmentPage::AssessmentPage(AssessmentController *controller, ProjectStore *store, const PlatformCatalog *catalog,
                               ConnectionController *connections, QWidget *parent)
    : QWizardPage(parent), m_controller(controller), m_store(store), m_connections(connections)
{
    setObjectName(QStringLiteral("page_assessment"));
    setTitle(tr("Assessment"));
    setSubTitle(tr("What does the current platform hold, and what will not fit the target?"));
    setAcceptDrops(true);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(createSourceBox());

    // Target for the checks
    auto *targetRow = new QHBoxLayout;
    targetRow->addWidget(new QLabel(tr("Check against the intended target:"), this));
    m_target = new QComboBox(this);
    m_target->setObjectName(QStringLiteral("targetCombo"));
    m_target->addItem(tr("Not decided yet"), QString());
    if (catalog) {
        for (const Platform &p : catalog->platforms())
            m_target->addItem(p.name, p.id);
    }
    m_target->setCurrentIndex(qMax(0, m_target->findData(controller->targetId())));
    targetRow->addWidget(m_target);
    targetRow->addStretch();
    layout->addLayout(targetRow);

    // Progress while running
    m_progressRow = new QWidget(this);
    auto *progressLayout = new QHBoxLayout(m_progressRow);
    progressLayout->setContentsMargins(0, 0, 0, 0);
    m_progress = new QProgressBar(m_progressRow);
    m_progress->setObjectName(QStringLiteral("assessmentProgress"));
    m_progress->setRange(0, 1000);
    m_progress->setTextVisible(false);
    m_progressText = new QLabel(m_progressRow);
    m_progressText->setObjectName(QStringLiteral("assessmentProgressText"));
    m_cancel = new QPushButton(tr("Cancel"), m_progressRow);
    m_cancel->setObjectName(QStringLiteral("cancelAssessmentButton"));
    progressLayout->addWidget(m_progress, 1);
    progressLayout->addWidget(m_progressText, 1);
    progressLayout->addWidget(m_cancel);
    layout->addWidget(m_progressRow);

    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("assessmentError"));
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setStyleSheet(QStringLiteral("QLabel { background: #fdecea; border: 1px solid #e0a39c; "
                                          "border-radius: 4px; padding: 8px; color: #611a15; }"));
    m_error->hide();
    layout->addWidget(m_error);

    // Results
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("resultTabs"));
    m_overview = new OverviewPanel(m_tabs);
    m_tabs->addTab(m_overview, tr("Overview"));
    QTableView *fields = createTable(QStringLiteral("fieldsView"));
    fields->setModel(sortable(controller->fieldsModel(), fields));
    fields->setColumnWidth(0, 240);
    m_tabs->addTab(fields, tr("Fields"));
    QTableView *tags = createTable(QStringLiteral("tagsView"));
    tags->setModel(sortable(controller->tagsModel(), tags));
    tags->setColumnWidth(0, 300);
    m_tabs->addTab(tags, tr("Tags"));
    m_tabs->addTab(new FindingsPanel(controller->duplicatesModel(), QStringLiteral("duplicates"),
                                     tr("Rows whose address was already seen, ignoring case and surrounding "
                                        "spaces. The target keeps one contact per address."),
                                     m_tabs),
                   tr("Duplicates"));
    m_tabs->addTab(new FindingsPanel(controller->invalidModel(), QStringLiteral("invalid"),
                                     tr("Rows whose address is not a valid email address. The target will "
                                        "reject them."),
                                     m_tabs),
                   tr("Invalid addresses"));
    m_engagement = new EngagementPanel(m_tabs);
    m_tabs->addTab(m_engagement, tr("Consent && engagement"));
    m_tabs->addTab(new AssetsEditor(controller, m_tabs), tr("Other assets"));
    QTableView *risks = createTable(QStringLiteral("risksView"));
    risks->setModel(controller->risksModel());
    risks->setItemDelegateForColumn(RisksModel::Severity, new SeverityDelegate(risks));
    risks->setWordWrap(true);
    risks->setColumnWidth(RisksModel::Severity, 90);
    risks->setColumnWidth(RisksModel::Title, 260);
    risks->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_tabs->addTab(risks, tr("Risks"));
    layout->addWidget(m_tabs, 1);
    m_tabs->setCurrentIndex(store->value(kTabKey, 0).toInt());

    connect(m_tabs, &QTabWidget::currentChanged, this, [this](int index) {
        if (Status s = m_store->setValue(kTabKey, index); !s)
            showError(s.error().toString());
    });
    connect(m_target, &QComboBox::currentIndexChanged, this,
            [this] { m_controller->setTargetId(m_target->currentData().toString()); });
    connect(m_cancel, &QPushButton::clicked, controller, &AssessmentController::cancel);
    connect(controller, &AssessmentController::progressChanged, this, [this](int permille, const QString &text) {
        m_progress->setValue(permille);
        m_progressText->setText(text);
    });
    connect(controller, &AssessmentController::stateChanged, this, [this] {
        showRunning(m_controller->isRunning());
        Q_EMIT completeChanged();
    });
    connect(controller, &AssessmentController::inventoryChanged, this, &AssessmentPage::showInventory);
    connect(controller, &AssessmentController::risksChanged, risks, &QTableView::resizeRowsToContents);
    connect(controller, &AssessmentController::failed, this, [this](const Error &e) {
        showError(QStringLiteral("<b>%1</b><br>%2").arg(e.summary().toHtmlEscaped(), e.hint.toHtmlEscaped()));
    });
    connect(controller, &AssessmentController::cancelled, this,
            [this] { showError(tr("The assessment was cancelled; nothing was changed.")); });

    showInventory();
    showRunning(controller->isRunning());
}

QWidget *AssessmentPage::createSourceBox()
{
    auto *box = new QGroupBox(tr("The current platform: its export, or its API"), this);
    auto *layout = new QHBoxLayout(box);
    auto *left = new QVBoxLayout;
    auto *hint = new QLabel(tr("Drop the export here or add it: Mailchimp's audience export (the zip, or its "
                               "subscribed, unsubscribed and cleaned CSV files), a Brevo contact export, a "
                               "Klaviyo profile export, or any CSV with an email column."),
                            box);
    hint->setWordWrap(true);
    left->addWidget(hint);
    m_files = new QListWidget(box);
    m_files->setObjectName(QStringLiteral("exportFiles"));
    m_files->setMaximumHeight(80);
    left->addWidget(m_files);
    layout->addLayout(left, 1);

    auto *buttons = new QVBoxLayout;
    m_add = new QPushButton(tr("Add Export Files..."), box);
    m_add->setObjectName(QStringLiteral("addFilesButton"));
    m_remove = new QPushButton(tr("Remove"), box);
    m_remove->setObjectName(QStringLiteral("removeFileButton"));
    m_remove->setEnabled(false);
    m_reassess = new QPushButton(tr("Assess Again"), box);
    m_reassess->setObjectName(QStringLiteral("reassessButton"));
    m_reassess->setToolTip(tr("Read the files again, e.g. after downloading a newer export to the same place."));
    buttons->addWidget(m_add);
    if (m_connections) {
        m_readApi = new QPushButton(tr("Read from Mailchimp"), box);
        m_readApi->setObjectName(QStringLiteral("readApiButton"));
        m_readApi->setToolTip(tr("Inventory the account through Mailchimp's API with the key saved on the "
                                 "Connections step: contacts, fields, tags, templates, campaigns, "
                                 "automations, integrations and sending domains."));
        buttons->addWidget(m_readApi);
        connect(m_readApi, &QPushButton::clicked, this, &AssessmentPage::readFromApi);
    }
    buttons->addWidget(m_remove);
    buttons->addWidget(m_reassess);
    buttons->addStretch();
    layout->addLayout(buttons);

    connect(m_add, &QPushButton::clicked, this, &AssessmentPage::addFiles);
    connect(m_remove, &QPushButton::clicked, this, [this] {
        if (QListWidgetItem *item = m_files->currentItem())
            m_controller->removeFile(item->data(Qt::UserRole).toString());
    });
    connect(m_reassess, &QPushButton::clicked, m_controller, &AssessmentController::reassess);
    connect(m_files, &QListWidget::currentRowChanged, this,
            [this](int row) { m_remove->setEnabled(row >= 0 && !m_controller->isRunning()); });
    return box;
}

QTableView *AssessmentPage::createTable(const QString &name)
{
    auto *view = new QTableView(this);
    view->setObjectName(name);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setAlternatingRowColors(true);
    view->verticalHeader()->hide();
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 8);
    view->horizontalHeader()->setStretchLastSection(true);
    return view;
}

bool AssessmentPage::isComplete() const
{
    return m_controller->state() == AssessmentController::State::Ready;
}

void AssessmentPage::addFiles()
{
    const QString folder = m_store->value(kLastFolderKey,
                                          QStandardPaths::writableLocation(QStandardPaths::DownloadLocation)).toString();
    const QStringList paths = Prompts::instance().exportFiles(this, folder);
    if (paths.isEmpty())
        return;
    m_store->setValue(kLastFolderKey, QFileInfo(paths.first()).absolutePath()).ok();
    m_error->hide();
    m_controller->addFiles(paths);
}

void AssessmentPage::readFromApi()
{
    m_error->hide();
    m_readApi->setEnabled(false);
    // The key comes from the keychain (or the demo sandbox) asynchronously.
    m_connections->settings(TargetPlatform::Mailchimp, [this](Result<ConnectionSettings> settings) {
        showRunning(m_controller->isRunning());
        if (!settings) {
            const Error &e = settings.error();
            showError(QStringLiteral("<b>%1</b><br>%2").arg(e.summary().toHtmlEscaped(), e.hint.toHtmlEscaped()));
            return;
        }
        m_controller->assessFromApi(settings.value());
    }, this);
}

void AssessmentPage::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls() && !m_controller->isRunning())
        event->acceptProposedAction();
}

void AssessmentPage::dropEvent(QDropEvent *event)
{
    QStringList paths;
    for (const QUrl &url : event->mimeData()->urls()) {
        if (url.isLocalFile())
            paths.append(url.toLocalFile());
    }
    if (paths.isEmpty())
        return;
    event->acceptProposedAction();
    m_error->hide();
    m_controller->addFiles(paths);
}

void AssessmentPage::showInventory()
{
    m_files->clear();
    for (const QString &path : m_controller->files()) {
        TargetPlatform platform = TargetPlatform::Mailchimp;
        const QString shown = ApiAssessor::parseDescriptor(path, &platform, nullptr)
                                  ? tr("%1 account, through its API").arg(TargetPlatforms::displayName(platform))
                                  : QFileInfo(path).fileName();
        auto *item = new QListWidgetItem(shown, m_files);
        item->setToolTip(path);
        item->setData(Qt::UserRole, path);
    }
    const auto &inv = m_controller->inventory();
    m_overview->setInventory(inv ? &*inv : nullptr, m_controller->assessedAt());
    m_engagement->setInventory(inv ? &*inv : nullptr);
    m_tabs->setEnabled(inv.has_value());
    if (inv)
        m_error->hide();
}

void AssessmentPage::showRunning(bool running)
{
    m_progressRow->setVisible(running);
    m_add->setEnabled(!running);
    if (m_readApi)
        m_readApi->setEnabled(!running);
    m_reassess->setEnabled(!running && !m_controller->files().isEmpty());
    m_remove->setEnabled(!running && m_files->currentRow() >= 0);
    m_files->setEnabled(!running);
    if (running) {
        m_progress->setValue(0);
        m_error->hide();
    }
}

void AssessmentPage::showError(const QString &text)
{
    m_error->setText(text);
    m_error->show();
}

#include "widgets/findingspanel.h"

#include "assessment/findingsmodel.h"

#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

FindingsPanel::FindingsPanel(FindingsModel *model, const QString &objectPrefix, const QString &explanation,
                             QWidget *parent)
    : QWidget(parent), m_model(model)
{
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(explanation, this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto *row = new QHBoxLayout;
    m_filter = new QLineEdit(this);
    m_filter->setObjectName(objectPrefix + QStringLiteral("Filter"));
    m_filter->setPlaceholderText(tr("Filter by address, file or detail"));
    m_filter->setClearButtonEnabled(true);
    row->addWidget(m_filter, 1);
    m_count = new QLabel(this);
    m_count->setObjectName(objectPrefix + QStringLiteral("Count"));
    row->addWidget(m_count);
    layout->addLayout(row);

    m_view = new QTableView(this);
    m_view->setObjectName(objectPrefix + QStringLiteral("View"));
    m_view->setModel(model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    m_view->setTextElideMode(Qt::ElideMiddle); // keep both the archive and the entry name in view
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setColumnWidth(0, 250);
    m_view->setColumnWidth(1, 300);
    m_view->setColumnWidth(2, 60);
    layout->addWidget(m_view, 1);

    const auto updateCount = [this] {
        m_count->setText(tr("%1 shown").arg(QLocale().toString(m_model->rowCount())));
    };
    auto *debounce = new QTimer(this);
    debounce->setSingleShot(true);
    debounce->setInterval(250);
    connect(m_filter, &QLineEdit::textChanged, debounce, qOverload<>(&QTimer::start));
    connect(debounce, &QTimer::timeout, this, [this] { m_model->setFilterText(m_filter->text()); });
    connect(model, &QAbstractItemModel::modelReset, this, updateCount);
    updateCount();
}

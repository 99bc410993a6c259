"""Pages of the dialogues component: the list, one dialogue, one series."""

from django.core.paginator import Paginator
from django.shortcuts import render

from .charts import balance_chart
from .models import DialogueResource, FollowUpStatus
from .selectors import access_dialogue, access_series, dialogue_list

PAGE_SIZE = 20


def dialogue_list_view(request):
    filterset = dialogue_list(params=request.GET, user=request.user)
    page_obj = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "dialogues/dialogue_list.html",
        {"filter": filterset, "page_obj": page_obj, "dialogues": page_obj.object_list},
    )


def dialogue_detail_view(request, slug):
    dialogue = access_dialogue(user=request.user, slug=slug)
    links = list(dialogue.resource_links.all())
    actions = list(dialogue.follow_up_actions.all())
    context = {
        "dialogue": dialogue,
        "chart": balance_chart(dialogue.participation.all()),
        "background": [link for link in links if link.kind == DialogueResource.Kind.BACKGROUND],
        "outputs": [link for link in links if link.kind != DialogueResource.Kind.BACKGROUND],
        "follow_ups_done": sum(a.current_status == FollowUpStatus.DONE for a in actions),
        "follow_ups_total": len(actions),
    }
    return render(request, "dialogues/dialogue_detail.html", context)


def series_detail_view(request, slug):
    series, dialogues = access_series(user=request.user, slug=slug)
    return render(
        request, "dialogues/series_detail.html", {"series": series, "dialogues": dialogues}
    )

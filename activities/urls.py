"""Platform 2 — contribution at the post: suggestion forms, themed Party days, pioneer posts
and four-bests recognitions, and warmth delivery."""

from django.urls import path

from .views import partydays, posts, suggestions, warmth

app_name = "activities"

urlpatterns = [
    # Suggestion forms
    path("suggestions/", suggestions.suggestion_list, name="suggestion_list"),
    path("suggestions/mine/", suggestions.suggestion_mine, name="suggestion_mine"),
    path("suggestions/open/", suggestions.suggestion_queue, name="suggestion_queue"),
    path("suggestions/new/", suggestions.suggestion_create, name="suggestion_create"),
    path("suggestions/<int:pk>/", suggestions.suggestion_detail, name="suggestion_detail"),
    path("suggestions/<int:pk>/edit/", suggestions.suggestion_edit, name="suggestion_edit"),
    path("suggestions/<int:pk>/<slug:action>/", suggestions.suggestion_action, name="suggestion_action"),
    # Themed Party days
    path("party-days/", partydays.partyday_list, name="partyday_list"),
    path("party-days/new/", partydays.partyday_create, name="partyday_create"),
    path("party-days/<int:pk>/", partydays.partyday_detail, name="partyday_detail"),
    path("party-days/<int:pk>/edit/", partydays.partyday_edit, name="partyday_edit"),
    path("party-days/<int:pk>/participants/", partydays.partyday_participants, name="partyday_participants"),
    path("party-days/<int:pk>/cancel/", partydays.partyday_cancel, name="partyday_cancel"),
    path("party-days/<int:pk>/records/new/", partydays.partyday_contribution_add, name="partyday_contribution_add"),
    path(
        "party-days/<int:pk>/records/<int:item_pk>/delete/",
        partydays.partyday_contribution_delete,
        name="partyday_contribution_delete",
    ),
    path("party-days/<int:pk>/reflection/", partydays.partyday_reflection, name="partyday_reflection"),
    path("party-days/<int:pk>/photos/new/", partydays.partyday_photo_add, name="partyday_photo_add"),
    path(
        "party-days/<int:pk>/photos/<int:photo_pk>/delete/",
        partydays.partyday_photo_delete,
        name="partyday_photo_delete",
    ),
    # The only way a photo leaves the server: checked against the scope rule first.
    path("party-days/photos/<int:pk>/", partydays.partyday_photo, name="partyday_photo"),
    # Pioneer posts and four-bests recognitions
    path("pioneer-posts/", posts.post_list, name="post_list"),
    path("pioneer-posts/mine/", posts.post_mine, name="post_mine"),
    path("pioneer-posts/new/", posts.post_create, name="post_create"),
    path("pioneer-posts/<int:pk>/", posts.post_detail, name="post_detail"),
    path("pioneer-posts/<int:pk>/edit/", posts.post_edit, name="post_edit"),
    path("pioneer-posts/<int:pk>/end/", posts.post_end, name="post_end"),
    path("pioneer-posts/members/<int:member_pk>/", posts.post_member, name="post_member"),
    path("pioneer-posts/recognitions/", posts.post_recognition_list, name="post_recognition_list"),
    path("pioneer-posts/recognitions/new/", posts.post_recognition_create, name="post_recognition_create"),
    path(
        "pioneer-posts/recognitions/<int:pk>/withdraw/",
        posts.post_recognition_withdraw,
        name="post_recognition_withdraw",
    ),
    # Warmth delivery
    path("warmth/", warmth.warmth_board, name="warmth_board"),
    path("warmth/mine/", warmth.warmth_mine, name="warmth_mine"),
    path("warmth/members/<int:member_pk>/", warmth.warmth_member, name="warmth_member"),
    path("warmth/members/<int:member_pk>/area/", warmth.warmth_area_edit, name="warmth_area_edit"),
    path("warmth/members/<int:member_pk>/contacts/new/", warmth.warmth_contact_create, name="warmth_contact_create"),
    path("warmth/members/<int:member_pk>/help/new/", warmth.warmth_help_create, name="warmth_help_create"),
    path("warmth/contacts/", warmth.warmth_contact_list, name="warmth_contact_list"),
    path("warmth/contacts/<int:pk>/edit/", warmth.warmth_contact_edit, name="warmth_contact_edit"),
    path("warmth/help/", warmth.warmth_help_list, name="warmth_help_list"),
    path("warmth/help/<int:pk>/edit/", warmth.warmth_help_edit, name="warmth_help_edit"),
    path("warmth/help/<int:pk>/delete/", warmth.warmth_help_delete, name="warmth_help_delete"),
]

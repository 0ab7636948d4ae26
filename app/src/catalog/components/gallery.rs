//! The product pictures: a swipeable strip (CSS scroll snapping) with thumbnails that jump to
//! each picture. No script needed.

use crate::catalog::model::ProductImage;
use crate::i18n::{Msg, t};
use leptos::prelude::*;

#[component]
pub fn Gallery(images: Vec<ProductImage>) -> impl IntoView {
    let several = images.len() > 1;
    let thumbs = images.clone();
    view! {
        <div class="gallery">
            <ul class="gallery__track" aria-label=t(Msg::ProductPhotos) tabindex="0">
                {images
                    .into_iter()
                    .enumerate()
                    .map(|(i, image)| {
                        let id = format!("photo-{}", i + 1);
                        let loading = if i == 0 { "eager" } else { "lazy" };
                        view! {
                            <li class="gallery__slide" id=id>
                                <img src=image.src alt=image.alt width="640" height="640" loading=loading
                                    fetchpriority=(i == 0).then_some("high")/>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            {several
                .then(|| {
                    view! {
                        <ol class="gallery__thumbs">
                            {thumbs
                                .into_iter()
                                .enumerate()
                                .map(|(i, image)| {
                                    let href = format!("#photo-{}", i + 1);
                                    view! {
                                        <li>
                                            <a href=href>
                                                <img src=image.src alt=image.alt width="72" height="72" loading="lazy"/>
                                            </a>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ol>
                    }
                })}
        </div>
    }
}
